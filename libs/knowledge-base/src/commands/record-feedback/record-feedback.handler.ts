import { createHash } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { RecordFeedbackCommand, type FeedbackResult } from './record-feedback.command';
import { ArticleFeedbackReceived } from '../../knowledge-base.context';

/**
 * Visitor keys are hashes, so the table holds no IPs. Feedback is not written to the audit log:
 * it is anonymous reader input, not a change made by a member, and would drown the log.
 */
@CommandHandler(RecordFeedbackCommand)
export class RecordFeedbackHandler implements ICommandHandler<RecordFeedbackCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, articleId, input, visitor, audience }: RecordFeedbackCommand): Promise<FeedbackResult> {
    const key = createHash('sha256')
      .update(input.visitorId ? `visitor:${input.visitorId}` : `anon:${visitor.ip ?? ''}|${visitor.userAgent ?? ''}`)
      .digest('base64url');
    return this.tx.run(context, async (tx) => {
      const m = tx.manager;
      const articles: { status: string; visibility: string }[] = await m.query(`SELECT status, visibility FROM kb_articles WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [context.tenantId, articleId]);
      const article = articles[0];
      if (!article || (audience === 'public' && (article.status !== 'published' || article.visibility !== 'public'))) throw notFound('Article', articleId);
      const previous: { helpful: boolean }[] = await m.query(`SELECT helpful FROM kb_article_feedback WHERE tenant_id = $1 AND article_id = $2 AND visitor_key = $3`, [context.tenantId, articleId, key]);
      await m.query(
        `INSERT INTO kb_article_feedback (tenant_id, article_id, visitor_key, helpful, comment) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, article_id, visitor_key) DO UPDATE SET helpful = EXCLUDED.helpful, comment = EXCLUDED.comment, updated_at = now()`,
        [context.tenantId, articleId, key, input.helpful, input.comment ?? null],
      );
      const delta = (helpful: boolean, sign: number) => (helpful ? [sign, 0] : [0, sign]);
      const [addH, addU] = delta(input.helpful, 1);
      const [subH, subU] = previous[0] ? delta(previous[0].helpful, -1) : [0, 0];
      const [counts]: { helpful_count: number; unhelpful_count: number }[] = await m.query(
        `WITH u AS (UPDATE kb_articles SET helpful_count = helpful_count + $3, unhelpful_count = unhelpful_count + $4 WHERE tenant_id = $1 AND id = $2
         RETURNING helpful_count, unhelpful_count) SELECT * FROM u`,
        [context.tenantId, articleId, addH + subH, addU + subU],
      );
      await tx.emit(ArticleFeedbackReceived.of(articleId, { helpful: input.helpful, hasComment: Boolean(input.comment) }));
      return { articleId, helpful: counts.helpful_count, unhelpful: counts.unhelpful_count, counted: previous.length === 0 };
    });
  }
}
