import { Injectable } from '@nestjs/common';
import { decodeCursor, ProblemException, toPage, type Page, type TenantTx } from '@switchboard/platform';
import { rowsOf } from './statement';
import { countSynonymSets, deleteSynonymSet, insertSynonymSet, selectSynonymSet, synonymSetPage, toSynonymSetView, updateSynonymSet, type SynonymSetRow, type SynonymSetView } from './synonyms.sql';

/** The tenant's synonym sets. SQL stays in `synonyms.sql.ts`; every method runs in the handler's transaction. */
@Injectable()
export class SynonymsRepository {
  async find(tx: TenantTx, id: string, lock = false): Promise<SynonymSetView | undefined> {
    const [row] = await rowsOf<SynonymSetRow>(tx, selectSynonymSet(tx.tenantId, id, lock));
    return row ? toSynonymSetView(row) : undefined;
  }

  async insert(tx: TenantTx, terms: string[]): Promise<SynonymSetView> {
    const [row] = await rowsOf<SynonymSetRow>(tx, insertSynonymSet(tx.tenantId, terms));
    return toSynonymSetView(row!);
  }

  async update(tx: TenantTx, id: string, terms: string[]): Promise<SynonymSetView> {
    const [row] = await rowsOf<SynonymSetRow>(tx, updateSynonymSet(tx.tenantId, id, terms));
    return toSynonymSetView(row!);
  }

  async delete(tx: TenantTx, id: string): Promise<SynonymSetView | undefined> {
    const [row] = await rowsOf<SynonymSetRow>(tx, deleteSynonymSet(tx.tenantId, id));
    return row ? toSynonymSetView(row) : undefined;
  }

  async count(tx: TenantTx): Promise<number> {
    const [row] = await rowsOf<{ n: number }>(tx, countSynonymSets(tx.tenantId));
    return row?.n ?? 0;
  }

  async page(tx: TenantTx, filter: { term?: string }, page: { limit: number; cursor?: string }): Promise<Page<SynonymSetView>> {
    let after: { createdAt: string; id: string } | undefined;
    if (page.cursor) {
      const [createdAt, id] = decodeCursor(page.cursor, 2);
      if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) {
        throw new ProblemException({ status: 400, type: 'invalid-cursor', title: 'Bad Request', detail: 'The cursor is not one this list issued; start again without it.', errors: [{ field: 'cursor', message: 'is invalid' }] });
      }
      after = { createdAt, id };
    }
    const rows = await rowsOf<SynonymSetRow>(tx, synonymSetPage(tx.tenantId, filter, page.limit, after));
    return toPage(rows.map(toSynonymSetView), page.limit, (last) => [last.createdAt, last.id]);
  }
}
