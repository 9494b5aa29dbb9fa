import type { CommandContext, Statement } from '@switchboard/platform';
import { REVISION_COLUMNS, type RevisionContent } from './kb.sql';

/** Appends the next immutable revision of an article (numbered after its last), by the context's actor. */
export const insertRevision = (context: CommandContext, articleId: string, content: RevisionContent, summary: unknown, restoredFrom: string | null): Statement => ({
  sql: `INSERT INTO kb_article_revisions (tenant_id, article_id, number, title, slug, body, visibility, tags, section_id, summary, restored_from, actor_type, actor_id)
        SELECT $1, $2, coalesce(max(number), 0) + 1, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12
          FROM kb_article_revisions WHERE tenant_id = $1 AND article_id = $2
        RETURNING id, number`,
  params: [
    context.tenantId,
    articleId,
    content.title,
    content.slug,
    content.body,
    content.visibility,
    content.tags,
    content.sectionId,
    JSON.stringify(summary),
    restoredFrom,
    context.actorType ?? 'system',
    context.actorId,
  ],
});

/** One revision's content; a revision of another article is as missing as none. */
export const selectRevisionContent = (tenantId: string, articleId: string, revisionId: string): Statement => ({
  sql: `SELECT title, slug, body, visibility, tags, section_id FROM kb_article_revisions WHERE tenant_id = $1 AND article_id = $2 AND id = $3`,
  params: [tenantId, articleId, revisionId],
});

export const selectRevision = (tenantId: string, articleId: string, revisionId: string): Statement => ({
  sql: `SELECT ${REVISION_COLUMNS}, body FROM kb_article_revisions WHERE tenant_id = $1 AND article_id = $2 AND id = $3`,
  params: [tenantId, articleId, revisionId],
});

/** A page of revisions, newest first, before revision number `before` when given. */
export function selectRevisionPage(tenantId: string, articleId: string, limit: number, before?: number): Statement {
  const params: unknown[] = [tenantId, articleId, limit];
  const after = before !== undefined ? ` AND number < $${params.push(before)}` : '';
  return { sql: `SELECT ${REVISION_COLUMNS} FROM kb_article_revisions WHERE tenant_id = $1 AND article_id = $2${after} ORDER BY number DESC LIMIT $3`, params };
}
