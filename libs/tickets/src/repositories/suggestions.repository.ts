import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from './execute';
import {
  suggestionSql,
  toSuggestionView,
  type NewSuggestionRow,
  type SuggestionCountsRow,
  type SuggestionDecisionRow,
  type SuggestionKind,
  type SuggestionRow,
  type SuggestionStatus,
  type SuggestionView,
} from './suggestions.sql';

/** AI suggestions on tickets for handlers; SQL stays in `suggestions.sql.ts`. Every method runs in the handler's transaction. */
@Injectable()
export class SuggestionsRepository {
  /** Only if it belongs to this ticket (of the transaction's tenant); undefined otherwise. */
  async find(tx: TenantTx, ticketId: string, id: string): Promise<SuggestionView | undefined> {
    const [row] = await execute<SuggestionRow[]>(tx, suggestionSql.byId(tx.tenantId, ticketId, id));
    return row ? toSuggestionView(row) : undefined;
  }

  /** Like find, locked for the rest of the transaction. */
  async findForUpdate(tx: TenantTx, ticketId: string, id: string): Promise<SuggestionView | undefined> {
    const [row] = await execute<SuggestionRow[]>(tx, suggestionSql.byId(tx.tenantId, ticketId, id, true));
    return row ? toSuggestionView(row) : undefined;
  }

  /** Newest first, one more than `limit`. */
  async page(
    tx: TenantTx,
    ticketId: string,
    page: { limit: number; kind?: SuggestionKind; status?: SuggestionStatus; before?: readonly [at: string, id: string] },
  ): Promise<SuggestionView[]> {
    return (await execute<SuggestionRow[]>(tx, suggestionSql.page(tx.tenantId, ticketId, page))).map(toSuggestionView);
  }

  /** Marks the ticket's pending suggestions of this kind superseded; answers their ids. */
  async supersedePending(tx: TenantTx, ticketId: string, kind: SuggestionKind): Promise<string[]> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows] = await execute<[{ id: string }[], number]>(tx, suggestionSql.supersedePending(tx.tenantId, ticketId, kind));
    return rows.map((r) => r.id);
  }

  async insert(tx: TenantTx, suggestion: NewSuggestionRow): Promise<SuggestionView> {
    const [row] = await execute<SuggestionRow[]>(tx, suggestionSql.insert(tx.tenantId, suggestion));
    return toSuggestionView(row);
  }

  async decide(tx: TenantTx, ticketId: string, id: string, decision: SuggestionDecisionRow): Promise<SuggestionView> {
    const [[row]] = await execute<[SuggestionRow[], number]>(tx, suggestionSql.decide(tx.tenantId, ticketId, id, decision));
    return toSuggestionView(row);
  }

  /** Suggestions created in [from, to), per kind (kinds without any are missing). */
  counts(tx: TenantTx, from: Date, to: Date): Promise<SuggestionCountsRow[]> {
    return execute(tx, suggestionSql.counts(tx.tenantId, from, to));
  }
}
