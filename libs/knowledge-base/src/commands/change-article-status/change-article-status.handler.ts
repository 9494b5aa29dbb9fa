import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertStatusChange } from '../../domain/article-rules';
import { ArticlesRepository } from '../../repositories/articles.repository';
import type { ArticleView } from '../../repositories/kb.sql';
import { ChangeArticleStatusCommand } from './change-article-status.command';
import { ArticleArchived, ArticlePublished } from '../../knowledge-base.context';

const EVENTS = { published: ArticlePublished, archived: ArticleArchived } as const;

@CommandHandler(ChangeArticleStatusCommand)
export class ChangeArticleStatusHandler implements ICommandHandler<ChangeArticleStatusCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly articles: ArticlesRepository,
  ) {}

  execute({ context, articleId, status }: ChangeArticleStatusCommand): Promise<ArticleView> {
    return this.tx.run(context, async (tx) => {
      const before = await this.articles.findForUpdate(tx, articleId);
      if (!before) throw notFound('Article', articleId);
      assertStatusChange(before.status, status);
      if (before.status === status) return before;
      await this.articles.updateStatus(tx, articleId, status);
      const after = (await this.articles.find(tx, articleId))!;
      await tx.audit({ action: EVENTS[status].type, entityType: 'kb_article', entityId: articleId, before: { status: before.status }, after: { status } });
      await tx.emit(EVENTS[status].of(articleId, { from: before.status, version: after.version, visibility: after.visibility, locale: after.locale }));
      return after;
    });
  }
}
