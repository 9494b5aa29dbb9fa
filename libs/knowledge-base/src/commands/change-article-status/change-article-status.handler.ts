import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertStatusChange } from '../../domain/article-rules';
import { loadArticle, type ArticleView } from '../../repositories/kb.sql';
import { ChangeArticleStatusCommand } from './change-article-status.command';
import { ArticleArchived, ArticlePublished } from '../../knowledge-base.context';

const EVENTS = { published: ArticlePublished, archived: ArticleArchived } as const;

@CommandHandler(ChangeArticleStatusCommand)
export class ChangeArticleStatusHandler implements ICommandHandler<ChangeArticleStatusCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, articleId, status }: ChangeArticleStatusCommand): Promise<ArticleView> {
    return this.tx.run(context, async (tx) => {
      const m = tx.manager;
      const before = await loadArticle(m, context.tenantId, articleId, true);
      if (!before) throw notFound('Article', articleId);
      assertStatusChange(before.status, status);
      if (before.status === status) return before;
      await m.query(
        `UPDATE kb_articles SET status = $3,
                published_at = CASE WHEN $3 = 'published' THEN now() ELSE published_at END,
                ever_published = ever_published OR $3 = 'published',
                updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
        [context.tenantId, articleId, status],
      );
      const after = (await loadArticle(m, context.tenantId, articleId))!;
      await tx.audit({ action: EVENTS[status].type, entityType: 'kb_article', entityId: articleId, before: { status: before.status }, after: { status } });
      await tx.emit(EVENTS[status].of(articleId, { from: before.status, version: after.version, visibility: after.visibility, locale: after.locale }));
      return after;
    });
  }
}
