import { Injectable } from '@nestjs/common';
import type { Page, TenantTx } from '@switchboard/platform';
import { toSectionView, type SectionView } from './kb.sql';
import { positionedPage } from './positioned-page';
import { deleteSection, insertSection, sectionList, selectAnySectionOf, selectSection, updateSection, type SectionFields } from './sections.sql';
import { rowsOf } from './statement';

/** Knowledge-base sections (SQL in `sections.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class SectionsRepository {
  async find(tx: TenantTx, id: string): Promise<SectionView | undefined> {
    const [row] = await rowsOf(tx, selectSection(tx.tenantId, id));
    return row ? toSectionView(row) : undefined;
  }

  /** The section, locked for the rest of the transaction. */
  async findForUpdate(tx: TenantTx, id: string): Promise<SectionView | undefined> {
    const [row] = await rowsOf(tx, selectSection(tx.tenantId, id, true));
    return row ? toSectionView(row) : undefined;
  }

  /** Inserts a section in its category's locale and returns its id. */
  async insert(tx: TenantTx, locale: string, fields: { categoryId: string; name: string | undefined; description: string | null; position: number }): Promise<string> {
    const [{ id }] = await rowsOf<{ id: string }>(tx, insertSection(tx.tenantId, locale, fields));
    return id;
  }

  async update(tx: TenantTx, id: string, fields: SectionFields): Promise<void> {
    await rowsOf(tx, updateSection(tx.tenantId, id, fields));
  }

  async delete(tx: TenantTx, id: string): Promise<void> {
    await rowsOf(tx, deleteSection(tx.tenantId, id));
  }

  /** Whether the category holds any section. */
  async anyInCategory(tx: TenantTx, categoryId: string): Promise<boolean> {
    return (await rowsOf(tx, selectAnySectionOf(tx.tenantId, categoryId))).length > 0;
  }

  page(tx: TenantTx, filter: { categoryId?: string; locale?: string }, page: { limit: number; cursor?: string }): Promise<Page<SectionView>> {
    return positionedPage(tx, sectionList(filter), page, toSectionView);
  }
}
