import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { ListRevisionsQuery, type RevisionView } from './list-revisions.query';

/* eslint-disable @typescript-eslint/no-explicit-any */
const toView = (r: any): RevisionView => ({
  id: r.id,
  articleId: r.article_id,
  number: r.number,
  title: r.title,
  slug: r.slug,
  visibility: r.visibility,
  tags: r.tags,
  sectionId: r.section_id,
  summary: r.summary,
  restoredFrom: r.restored_from,
  actorType: r.actor_type,
  actorId: r.actor_id,
  createdAt: new Date(r.created_at).toISOString(),
  ...(r.body !== undefined ? { body: r.body } : {}),
});

@QueryHandler(ListRevisionsQuery)
export class ListRevisionsHandler implements IQueryHandler<ListRevisionsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, articleId, page, revisionId }: ListRevisionsQuery): Promise<Page<RevisionView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const m = tx.manager;
      const exists: unknown[] = await m.query(`SELECT 1 FROM kb_articles WHERE tenant_id = $1 AND id = $2`, [tenantId, articleId]);
      if (exists.length === 0) throw notFound('Article', articleId);
      const columns = 'id, article_id, number, title, slug, visibility, tags, section_id, summary, restored_from, actor_type, actor_id, created_at';
      if (revisionId) {
        const rows = await m.query(`SELECT ${columns}, body FROM kb_article_revisions WHERE tenant_id = $1 AND article_id = $2 AND id = $3`, [tenantId, articleId, revisionId]);
        if (rows.length === 0) throw notFound('Revision', revisionId);
        return { data: [toView(rows[0])], nextCursor: null };
      }
      const params: unknown[] = [tenantId, articleId, page.limit + 1];
      let after = '';
      if (page.cursor) {
        const [number] = decodeCursor(page.cursor, 1);
        after = ` AND number < $${params.push(Number(number) || 0)}`;
      }
      const rows = await m.query(`SELECT ${columns} FROM kb_article_revisions WHERE tenant_id = $1 AND article_id = $2${after} ORDER BY number DESC LIMIT $3`, params);
      return toPage(rows.map(toView), page.limit, (last) => [last.number]);
    });
  }
}
