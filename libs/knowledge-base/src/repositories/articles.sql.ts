import type { Statement } from '@switchboard/platform';
import { ARTICLE_COLUMNS, type ArticleStatus, type RevisionContent, type Visibility } from './kb.sql';
import type { PositionedList } from './positioned-page';
import { forUpdate } from './statement';

/** A new article's row: its section decides category and locale. */
export interface NewArticle {
  sectionId: string;
  categoryId: string;
  locale: string;
  title: string;
  slug: string;
  body: string;
  html: string;
  visibility: Visibility;
  tags: string[];
  authorId: string | null;
  position: number;
}

/** An article's content and placement as an edit writes them. */
export interface ArticleContentRow extends RevisionContent {
  html: string;
  categoryId: string;
  position: number;
}

export interface ArticleListFilter {
  sectionId?: string;
  categoryId?: string;
  locale?: string;
  /** Stored form (trimmed, lower case). */
  tag?: string;
  status?: ArticleStatus;
  visibility?: Visibility;
}

export const selectArticle = (tenantId: string, id: string, lock = false): Statement => ({
  sql: `SELECT ${ARTICLE_COLUMNS} FROM kb_articles WHERE tenant_id = $1 AND id = $2${forUpdate(lock)}`,
  params: [tenantId, id],
});

export const selectArticleBySlug = (tenantId: string, locale: string, slug: string): Statement => ({
  sql: `SELECT ${ARTICLE_COLUMNS} FROM kb_articles WHERE tenant_id = $1 AND locale = $2 AND slug = $3`,
  params: [tenantId, locale, slug],
});

/** The article a kept slug redirects to, with what decides who may follow it. */
export const selectRedirectTarget = (tenantId: string, locale: string, slug: string): Statement => ({
  sql: `SELECT a.slug, a.status, a.visibility FROM kb_slug_redirects r JOIN kb_articles a ON a.tenant_id = r.tenant_id AND a.id = r.article_id
         WHERE r.tenant_id = $1 AND r.locale = $2 AND r.slug = $3`,
  params: [tenantId, locale, slug],
});

/** A row when the slug is taken in the locale (by another article, or kept as another article's redirect). */
export const selectSlugTaken = (tenantId: string, locale: string, slug: string, exceptArticleId: string | null): Statement => ({
  sql: `SELECT 1 FROM kb_articles WHERE tenant_id = $1 AND locale = $2 AND slug = $3 AND id IS DISTINCT FROM $4::uuid
        UNION ALL
        SELECT 1 FROM kb_slug_redirects WHERE tenant_id = $1 AND locale = $2 AND slug = $3 AND article_id IS DISTINCT FROM $4::uuid
        LIMIT 1`,
  params: [tenantId, locale, slug, exceptArticleId],
});

export const insertArticle = (tenantId: string, a: NewArticle): Statement => ({
  sql: `INSERT INTO kb_articles (tenant_id, section_id, category_id, locale, title, slug, body, body_html, visibility, tags, author_id, position)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
  params: [tenantId, a.sectionId, a.categoryId, a.locale, a.title, a.slug, a.body, a.html, a.visibility, a.tags, a.authorId, a.position],
});

export const selectEverPublished = (tenantId: string, id: string): Statement => ({
  sql: `SELECT ever_published FROM kb_articles WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, id],
});

export const deleteSlugRedirect = (tenantId: string, locale: string, slug: string): Statement => ({
  sql: `DELETE FROM kb_slug_redirects WHERE tenant_id = $1 AND locale = $2 AND slug = $3`,
  params: [tenantId, locale, slug],
});

export const insertSlugRedirect = (tenantId: string, locale: string, slug: string, articleId: string): Statement => ({
  sql: `INSERT INTO kb_slug_redirects (tenant_id, locale, slug, article_id) VALUES ($1, $2, $3, $4)`,
  params: [tenantId, locale, slug, articleId],
});

export const updateArticleContent = (tenantId: string, id: string, c: ArticleContentRow): Statement => ({
  sql: `UPDATE kb_articles SET title = $3, slug = $4, body = $5, body_html = $6, visibility = $7, tags = $8, section_id = $9, category_id = $10, position = $11,
               updated_at = now(), version = version + 1
         WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, id, c.title, c.slug, c.body, c.html, c.visibility, c.tags, c.sectionId, c.categoryId, c.position],
});

export const updateArticleStatus = (tenantId: string, id: string, status: ArticleStatus): Statement => ({
  sql: `UPDATE kb_articles SET status = $3,
               published_at = CASE WHEN $3 = 'published' THEN now() ELSE published_at END,
               ever_published = ever_published OR $3 = 'published',
               updated_at = now(), version = version + 1
         WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, id, status],
});

/** Articles follow their section into another category; returns the ids of those moved. */
export const updateSectionArticlesCategory = (tenantId: string, sectionId: string, categoryId: string): Statement => ({
  sql: `WITH u AS (UPDATE kb_articles SET category_id = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND section_id = $2 RETURNING id) SELECT id FROM u`,
  params: [tenantId, sectionId, categoryId],
});

export const selectAnyArticleOf = (tenantId: string, sectionId: string): Statement => ({
  sql: `SELECT 1 FROM kb_articles WHERE tenant_id = $1 AND section_id = $2 LIMIT 1`,
  params: [tenantId, sectionId],
});

export const selectArticleExists = (tenantId: string, id: string): Statement => ({
  sql: `SELECT 1 FROM kb_articles WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, id],
});

/** Who may see the article (feedback's check), locking its row for the counters' update. */
export const selectArticleAudienceForUpdate = (tenantId: string, id: string): Statement => ({
  sql: `SELECT status, visibility FROM kb_articles WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
  params: [tenantId, id],
});

/** Articles in editor order; the public audience sees published public ones only, whatever the filter says. */
export function articleList(filter: ArticleListFilter, audience: 'agent' | 'public'): PositionedList {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    values.push(value);
  };
  if (filter.sectionId) add('section_id = ?::uuid', filter.sectionId);
  if (filter.categoryId) add('category_id = ?::uuid', filter.categoryId);
  if (filter.locale !== undefined) add('locale = ?', filter.locale);
  if (filter.tag !== undefined) add('tags @> ARRAY[?::text]', filter.tag);
  if (audience === 'public') {
    where.push(`status = 'published'`, `visibility = 'public'`);
  } else {
    if (filter.status) add('status = ?', filter.status);
    if (filter.visibility) add('visibility = ?', filter.visibility);
  }
  return { columns: ARTICLE_COLUMNS, table: 'kb_articles', where, values };
}
