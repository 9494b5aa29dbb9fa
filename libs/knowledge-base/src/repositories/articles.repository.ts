import { Injectable } from '@nestjs/common';
import type { Page, TenantTx } from '@switchboard/platform';
import {
  articleList,
  deleteSlugRedirect,
  insertArticle,
  insertSlugRedirect,
  selectAnyArticleOf,
  selectArticle,
  selectArticleAudienceForUpdate,
  selectArticleBySlug,
  selectArticleExists,
  selectEverPublished,
  selectRedirectTarget,
  selectSlugTaken,
  updateArticleContent,
  updateArticleStatus,
  updateSectionArticlesCategory,
  type ArticleContentRow,
  type ArticleListFilter,
  type NewArticle,
} from './articles.sql';
import { toArticleView, type ArticleStatus, type ArticleView, type Visibility } from './kb.sql';
import { positionedPage } from './positioned-page';
import { rowsOf } from './statement';

/** Who may see an article: its status and visibility. */
export type ArticleAudience = Pick<ArticleView, 'status' | 'visibility'>;

/**
 * Knowledge-base articles and their slugs (SQL in `articles.sql.ts`); every method takes the
 * handler's transaction, so it runs inside it, and handlers' unit tests fake these methods.
 */
@Injectable()
export class ArticlesRepository {
  async find(tx: TenantTx, id: string): Promise<ArticleView | undefined> {
    const [row] = await rowsOf(tx, selectArticle(tx.tenantId, id));
    return row ? toArticleView(row) : undefined;
  }

  /** The article, locked for the rest of the transaction. */
  async findForUpdate(tx: TenantTx, id: string): Promise<ArticleView | undefined> {
    const [row] = await rowsOf(tx, selectArticle(tx.tenantId, id, true));
    return row ? toArticleView(row) : undefined;
  }

  async findBySlug(tx: TenantTx, locale: string, slug: string): Promise<ArticleView | undefined> {
    const [row] = await rowsOf(tx, selectArticleBySlug(tx.tenantId, locale, slug));
    return row ? toArticleView(row) : undefined;
  }

  /** The article an old slug of the locale redirects to: its current slug and who may see it. */
  async findRedirectTarget(tx: TenantTx, locale: string, slug: string): Promise<(ArticleAudience & { slug: string }) | undefined> {
    const [row] = await rowsOf<{ slug: string; status: ArticleStatus; visibility: Visibility }>(tx, selectRedirectTarget(tx.tenantId, locale, slug));
    return row;
  }

  /** Is this slug free in the locale (no other article, no kept redirect)? */
  async slugFree(tx: TenantTx, locale: string, slug: string, exceptArticleId?: string): Promise<boolean> {
    return (await rowsOf(tx, selectSlugTaken(tx.tenantId, locale, slug, exceptArticleId ?? null))).length === 0;
  }

  /** Inserts a draft and returns its id. */
  async insert(tx: TenantTx, article: NewArticle): Promise<string> {
    const [{ id }] = await rowsOf<{ id: string }>(tx, insertArticle(tx.tenantId, article));
    return id;
  }

  /** Whether the article was ever published (its slug may be linked to). */
  async everPublished(tx: TenantTx, id: string): Promise<boolean> {
    const [row] = await rowsOf<{ ever_published: boolean }>(tx, selectEverPublished(tx.tenantId, id));
    return row.ever_published;
  }

  async deleteRedirect(tx: TenantTx, locale: string, slug: string): Promise<void> {
    await rowsOf(tx, deleteSlugRedirect(tx.tenantId, locale, slug));
  }

  /** Keeps an old slug answering for the article. */
  async addRedirect(tx: TenantTx, locale: string, slug: string, articleId: string): Promise<void> {
    await rowsOf(tx, insertSlugRedirect(tx.tenantId, locale, slug, articleId));
  }

  async updateContent(tx: TenantTx, id: string, content: ArticleContentRow): Promise<void> {
    await rowsOf(tx, updateArticleContent(tx.tenantId, id, content));
  }

  async updateStatus(tx: TenantTx, id: string, status: ArticleStatus): Promise<void> {
    await rowsOf(tx, updateArticleStatus(tx.tenantId, id, status));
  }

  /** Moves the section's articles to its new category; returns the ids of the articles moved. */
  async followSection(tx: TenantTx, sectionId: string, categoryId: string): Promise<string[]> {
    return (await rowsOf<{ id: string }>(tx, updateSectionArticlesCategory(tx.tenantId, sectionId, categoryId))).map((r) => r.id);
  }

  /** Whether the section holds any article (archived ones too). */
  async anyInSection(tx: TenantTx, sectionId: string): Promise<boolean> {
    return (await rowsOf(tx, selectAnyArticleOf(tx.tenantId, sectionId))).length > 0;
  }

  async exists(tx: TenantTx, id: string): Promise<boolean> {
    return (await rowsOf(tx, selectArticleExists(tx.tenantId, id))).length > 0;
  }

  /** The article's status and visibility, its row locked for the rest of the transaction. */
  async findAudienceForUpdate(tx: TenantTx, id: string): Promise<ArticleAudience | undefined> {
    const [row] = await rowsOf<ArticleAudience>(tx, selectArticleAudienceForUpdate(tx.tenantId, id));
    return row;
  }

  page(tx: TenantTx, filter: ArticleListFilter, audience: 'agent' | 'public', page: { limit: number; cursor?: string }): Promise<Page<ArticleView>> {
    return positionedPage(tx, articleList(filter, audience), page, toArticleView);
  }
}
