import type { Statement } from '@switchboard/platform';
import { CATEGORY_COLUMNS, type CategoryView } from './kb.sql';
import type { PositionedList } from './positioned-page';
import { forUpdate } from './statement';

/** The fields an editor sets on a category (its locale is fixed at creation). */
export type CategoryFields = Pick<CategoryView, 'name' | 'description' | 'position'>;

export const selectCategory = (tenantId: string, id: string, lock = false): Statement => ({
  sql: `SELECT ${CATEGORY_COLUMNS} FROM kb_categories WHERE tenant_id = $1 AND id = $2${forUpdate(lock)}`,
  params: [tenantId, id],
});

export const insertCategory = (tenantId: string, locale: string, c: { name: string | undefined; description: string | null; position: number }): Statement => ({
  sql: `INSERT INTO kb_categories (tenant_id, locale, name, description, position) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
  params: [tenantId, locale, c.name, c.description, c.position],
});

export const updateCategory = (tenantId: string, id: string, c: CategoryFields): Statement => ({
  sql: `UPDATE kb_categories SET name = $3, description = $4, position = $5, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, id, c.name, c.description, c.position],
});

export const deleteCategory = (tenantId: string, id: string): Statement => ({
  sql: `DELETE FROM kb_categories WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, id],
});

/** The locales the tenant has categories in (a locale exists in the knowledge base through its categories). */
export const selectCategoryLocales = (tenantId: string): Statement => ({
  sql: `SELECT DISTINCT locale FROM kb_categories WHERE tenant_id = $1 ORDER BY locale`,
  params: [tenantId],
});

export const categoryList = (filter: { locale?: string }): PositionedList => ({
  columns: CATEGORY_COLUMNS,
  table: 'kb_categories',
  where: filter.locale ? ['locale = ?'] : [],
  values: [filter.locale],
});
