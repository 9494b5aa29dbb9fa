import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';

export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
export const VISIBILITIES = ['public', 'internal'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export interface CategoryView {
  id: string;
  locale: string;
  name: string;
  description: string | null;
  position: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface SectionView extends CategoryView {
  categoryId: string;
}

export interface ArticleView {
  id: string;
  sectionId: string;
  categoryId: string;
  locale: string;
  title: string;
  slug: string;
  body: string;
  html: string;
  status: ArticleStatus;
  visibility: Visibility;
  tags: string[];
  authorId: string | null;
  position: number;
  publishedAt: string | null;
  feedback: { helpful: number; unhelpful: number };
  /** The article version the search index reflects; null until first indexed. */
  indexedVersion: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** What the public help center shows: no author, status or internal bookkeeping. */
export interface PublicArticleView {
  id: string;
  sectionId: string;
  categoryId: string;
  locale: string;
  title: string;
  slug: string;
  html: string;
  tags: string[];
  publishedAt: string | null;
  updatedAt: string;
}

export const CATEGORY_COLUMNS = 'id, locale, name, description, position, created_at, updated_at, version';
export const SECTION_COLUMNS = `category_id, ${CATEGORY_COLUMNS}`;
export const ARTICLE_COLUMNS =
  'id, section_id, category_id, locale, title, slug, body, body_html, status, visibility, tags, author_id, position, published_at, helpful_count, unhelpful_count, indexed_version, created_at, updated_at, version';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const toCategoryView = (r: any): CategoryView => ({
  id: r.id,
  locale: r.locale,
  name: r.name,
  description: r.description,
  position: r.position,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

export const toSectionView = (r: any): SectionView => ({ ...toCategoryView(r), categoryId: r.category_id });

export const toArticleView = (r: any): ArticleView => ({
  id: r.id,
  sectionId: r.section_id,
  categoryId: r.category_id,
  locale: r.locale,
  title: r.title,
  slug: r.slug,
  body: r.body,
  html: r.body_html,
  status: r.status,
  visibility: r.visibility,
  tags: r.tags,
  authorId: r.author_id,
  position: r.position,
  publishedAt: iso(r.published_at),
  feedback: { helpful: r.helpful_count, unhelpful: r.unhelpful_count },
  indexedVersion: r.indexed_version,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

export const toPublicArticle = (a: ArticleView): PublicArticleView => ({
  id: a.id,
  sectionId: a.sectionId,
  categoryId: a.categoryId,
  locale: a.locale,
  title: a.title,
  slug: a.slug,
  html: a.html,
  tags: a.tags,
  publishedAt: a.publishedAt,
  updatedAt: a.updatedAt,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function loadCategory(m: EntityManager, tenantId: string, id: string, lock = false): Promise<CategoryView | undefined> {
  const rows = await m.query(`SELECT ${CATEGORY_COLUMNS} FROM kb_categories WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0] ? toCategoryView(rows[0]) : undefined;
}

export async function loadSection(m: EntityManager, tenantId: string, id: string, lock = false): Promise<SectionView | undefined> {
  const rows = await m.query(`SELECT ${SECTION_COLUMNS} FROM kb_sections WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0] ? toSectionView(rows[0]) : undefined;
}

export async function loadArticle(m: EntityManager, tenantId: string, id: string, lock = false): Promise<ArticleView | undefined> {
  const rows = await m.query(`SELECT ${ARTICLE_COLUMNS} FROM kb_articles WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0] ? toArticleView(rows[0]) : undefined;
}

/** Is this slug free in the locale (no other article, no kept redirect)? */
export async function slugFree(m: EntityManager, tenantId: string, locale: string, slug: string, exceptArticleId?: string): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `SELECT 1 FROM kb_articles WHERE tenant_id = $1 AND locale = $2 AND slug = $3 AND id IS DISTINCT FROM $4::uuid
     UNION ALL
     SELECT 1 FROM kb_slug_redirects WHERE tenant_id = $1 AND locale = $2 AND slug = $3 AND article_id IS DISTINCT FROM $4::uuid
     LIMIT 1`,
    [tenantId, locale, slug, exceptArticleId ?? null],
  );
  return rows.length === 0;
}

export interface RevisionContent {
  title: string;
  slug: string;
  body: string;
  visibility: Visibility;
  tags: string[];
  sectionId: string;
}

export const contentOf = (a: ArticleView): RevisionContent => ({
  title: a.title,
  slug: a.slug,
  body: a.body,
  visibility: a.visibility,
  tags: a.tags,
  sectionId: a.sectionId,
});

/** Appends the next immutable revision of an article. */
export async function appendRevision(
  tx: TenantTx,
  articleId: string,
  content: RevisionContent,
  summary: unknown,
  restoredFrom: string | null = null,
): Promise<{ id: string; number: number }> {
  const [row]: { id: string; number: number }[] = await tx.manager.query(
    `INSERT INTO kb_article_revisions (tenant_id, article_id, number, title, slug, body, visibility, tags, section_id, summary, restored_from, actor_type, actor_id)
     SELECT $1, $2, coalesce(max(number), 0) + 1, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12
       FROM kb_article_revisions WHERE tenant_id = $1 AND article_id = $2
     RETURNING id, number`,
    [
      tx.tenantId,
      articleId,
      content.title,
      content.slug,
      content.body,
      content.visibility,
      content.tags,
      content.sectionId,
      JSON.stringify(summary),
      restoredFrom,
      tx.context.actorType ?? 'system',
      tx.context.actorId,
    ],
  );
  return row;
}
