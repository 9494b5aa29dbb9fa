import type { Statement } from '@switchboard/platform';
import { SECTION_COLUMNS, type SectionView } from './kb.sql';
import type { PositionedList } from './positioned-page';
import { forUpdate } from './statement';

/** The fields an editor sets on a section; its locale is its category's. */
export type SectionFields = Pick<SectionView, 'categoryId' | 'name' | 'description' | 'position'>;

export const selectSection = (tenantId: string, id: string, lock = false): Statement => ({
  sql: `SELECT ${SECTION_COLUMNS} FROM kb_sections WHERE tenant_id = $1 AND id = $2${forUpdate(lock)}`,
  params: [tenantId, id],
});

export const insertSection = (tenantId: string, locale: string, s: { categoryId: string; name: string | undefined; description: string | null; position: number }): Statement => ({
  sql: `INSERT INTO kb_sections (tenant_id, category_id, locale, name, description, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
  params: [tenantId, s.categoryId, locale, s.name, s.description, s.position],
});

export const updateSection = (tenantId: string, id: string, s: SectionFields): Statement => ({
  sql: `UPDATE kb_sections SET category_id = $3, name = $4, description = $5, position = $6, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, id, s.categoryId, s.name, s.description, s.position],
});

export const deleteSection = (tenantId: string, id: string): Statement => ({
  sql: `DELETE FROM kb_sections WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, id],
});

export const selectAnySectionOf = (tenantId: string, categoryId: string): Statement => ({
  sql: `SELECT 1 FROM kb_sections WHERE tenant_id = $1 AND category_id = $2 LIMIT 1`,
  params: [tenantId, categoryId],
});

export function sectionList(filter: { categoryId?: string; locale?: string }): PositionedList {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.categoryId) where.push('category_id = ?::uuid') && values.push(filter.categoryId);
  if (filter.locale !== undefined) where.push('locale = ?') && values.push(filter.locale);
  return { columns: SECTION_COLUMNS, table: 'kb_sections', where, values };
}
