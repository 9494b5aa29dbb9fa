import { createHash } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ArticlesRepository } from '../../repositories/articles.repository';
import { FeedbackRepository } from '../../repositories/feedback.repository';
import { RecordFeedbackCommand, type FeedbackResult } from './record-feedback.command';
import { ArticleFeedbackReceived } from '../../knowledge-base.context';

/**
 * Visitor keys are hashes, so the table holds no IPs. Feedback is not written to the audit log:
 * it is anonymous reader input, not a change made by a member, and would drown the log.
 */
@CommandHandler(RecordFeedbackCommand)
export class RecordFeedbackHandler implements ICommandHandler<RecordFeedbackCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly articles: ArticlesRepository,
    private readonly feedback: FeedbackRepository,
  ) {}

  execute({ context, articleId, input, visitor, audience }: RecordFeedbackCommand): Promise<FeedbackResult> {
    const key = createHash('sha256')
      .update(input.visitorId ? `visitor:${input.visitorId}` : `anon:${visitor.ip ?? ''}|${visitor.userAgent ?? ''}`)
      .digest('base64url');
    return this.tx.run(context, async (tx) => {
      const article = await this.articles.findAudienceForUpdate(tx, articleId);
      if (!article || (audience === 'public' && (article.status !== 'published' || article.visibility !== 'public'))) throw notFound('Article', articleId);
      const previous = await this.feedback.previous(tx, articleId, key);
      await this.feedback.save(tx, articleId, key, input.helpful, input.comment ?? null);
      // A replaced answer moves its count from one side to the other; a first one only adds.
      const delta = (helpful: boolean, sign: number) => (helpful ? [sign, 0] : [0, sign]);
      const [addH, addU] = delta(input.helpful, 1);
      const [subH, subU] = previous ? delta(previous.helpful, -1) : [0, 0];
      const counts = await this.feedback.addToCounts(tx, articleId, addH + subH, addU + subU);
      await tx.emit(ArticleFeedbackReceived.of(articleId, { helpful: input.helpful, hasComment: Boolean(input.comment) }));
      return { articleId, helpful: counts.helpful, unhelpful: counts.unhelpful, counted: previous === undefined };
    });
  }
}
