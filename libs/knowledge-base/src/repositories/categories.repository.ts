import { Injectable } from '@nestjs/common';
import type { Page, TenantTx } from '@switchboard/platform';
import { categoryList, deleteCategory, insertCategory, selectCategory, selectCategoryLocales, updateCategory, type CategoryFields } from './categories.sql';
import { toCategoryView, type CategoryView } from './kb.sql';
import { positionedPage } from './positioned-page';
import { rowsOf } from './statement';

/**
 * Knowledge-base categories. SQL stays in `categories.sql.ts`; every method takes the handler's
 * transaction, so it runs inside it, and handlers' unit tests fake these methods.
 */
@Injectable()
export class CategoriesRepository {
  async find(tx: TenantTx, id: string): Promise<CategoryView | undefined> {
    const [row] = await rowsOf(tx, selectCategory(tx.tenantId, id));
    return row ? toCategoryView(row) : undefined;
  }

  /** The category, locked for the rest of the transaction. */
  async findForUpdate(tx: TenantTx, id: string): Promise<CategoryView | undefined> {
    const [row] = await rowsOf(tx, selectCategory(tx.tenantId, id, true));
    return row ? toCategoryView(row) : undefined;
  }

  /** Inserts a category and returns its id. */
  async insert(tx: TenantTx, locale: string, fields: { name: string | undefined; description: string | null; position: number }): Promise<string> {
    const [{ id }] = await rowsOf<{ id: string }>(tx, insertCategory(tx.tenantId, locale, fields));
    return id;
  }

  async update(tx: TenantTx, id: string, fields: CategoryFields): Promise<void> {
    await rowsOf(tx, updateCategory(tx.tenantId, id, fields));
  }

  async delete(tx: TenantTx, id: string): Promise<void> {
    await rowsOf(tx, deleteCategory(tx.tenantId, id));
  }

  /** The locales the knowledge base has categories in, as stored. */
  async locales(tx: TenantTx): Promise<string[]> {
    return (await rowsOf<{ locale: string }>(tx, selectCategoryLocales(tx.tenantId))).map((r) => r.locale);
  }

  page(tx: TenantTx, filter: { locale?: string }, page: { limit: number; cursor?: string }): Promise<Page<CategoryView>> {
    return positionedPage(tx, categoryList(filter), page, toCategoryView);
  }
}
