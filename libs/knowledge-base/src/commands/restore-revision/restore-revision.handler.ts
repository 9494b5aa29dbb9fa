import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import type { ArticleView, Visibility } from '../../repositories/kb.sql';
import { applyArticleChanges } from '../update-article/apply-article-content';
import { RestoreRevisionCommand } from './restore-revision.command';

@CommandHandler(RestoreRevisionCommand)
export class RestoreRevisionHandler implements ICommandHandler<RestoreRevisionCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, articleId, revisionId }: RestoreRevisionCommand): Promise<ArticleView> {
    return this.tx.run(context, async (tx) => {
      // The revision must belong to this article: another article's revision is as missing as none.
      const rows: { title: string; slug: string; body: string; visibility: Visibility; tags: string[]; section_id: string }[] = await tx.manager.query(
        `SELECT title, slug, body, visibility, tags, section_id FROM kb_article_revisions WHERE tenant_id = $1 AND article_id = $2 AND id = $3`,
        [context.tenantId, articleId, revisionId],
      );
      if (rows.length === 0) {
        const exists: unknown[] = await tx.manager.query(`SELECT 1 FROM kb_articles WHERE tenant_id = $1 AND id = $2`, [context.tenantId, articleId]);
        throw exists.length === 0 ? notFound('Article', articleId) : notFound('Revision', revisionId);
      }
      const r = rows[0];
      // The slug stays as it is: restoring content must not break published links.
      return applyArticleChanges(tx, articleId, { title: r.title, body: r.body, visibility: r.visibility, tags: r.tags, sectionId: r.section_id }, null, revisionId);
    });
  }
}
