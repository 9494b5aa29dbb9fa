/**
 * The knowledge base's shapes: per aggregate one column list and one row → view mapping, which
 * every statement (`*.sql.ts` beside this file), the events, the DTOs and the help center derive
 * from. Statements live in the aggregates' `*.sql.ts` files and run through their repositories.
 */
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

/** One immutable revision of an article's content (its body only when one revision is read). */
export interface RevisionView {
  id: string;
  articleId: string;
  number: number;
  title: string;
  slug: string;
  visibility: string;
  tags: string[];
  sectionId: string;
  summary: Record<string, unknown>;
  restoredFrom: string | null;
  actorType: string;
  actorId: string | null;
  createdAt: string;
  /** Only when one revision is read. */
  body?: string;
}

export const CATEGORY_COLUMNS = 'id, locale, name, description, position, created_at, updated_at, version';
export const SECTION_COLUMNS = `category_id, ${CATEGORY_COLUMNS}`;
export const ARTICLE_COLUMNS =
  'id, section_id, category_id, locale, title, slug, body, body_html, status, visibility, tags, author_id, position, published_at, helpful_count, unhelpful_count, indexed_version, created_at, updated_at, version';
/** A revision's columns without its body (lists); one revision is read with the body too. */
export const REVISION_COLUMNS = 'id, article_id, number, title, slug, visibility, tags, section_id, summary, restored_from, actor_type, actor_id, created_at';

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

export const toRevisionView = (r: any): RevisionView => ({
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
/* eslint-enable @typescript-eslint/no-explicit-any */

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
