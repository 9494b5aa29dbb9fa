import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { Status } from '../domain/ticket';
import { execute } from './execute';
import {
  ticketSql,
  toHistoryEntry,
  toTicketView,
  type ChangeableField,
  type HistoryEntry,
  type HistoryRow,
  type NewTicketRow,
  type TicketListCriteria,
  type TicketRow,
  type TicketView,
} from './tickets.sql';

/**
 * The tickets aggregate (with its number counter and its history) for handlers: SQL stays in
 * `tickets.sql.ts`; every method takes the handler's transaction and runs in it. A statement is
 * sent when the method is called, so methods called together pipeline as the raw queries did.
 */
@Injectable()
export class TicketsRepository {
  async find(tx: TenantTx, id: string): Promise<TicketView | undefined> {
    const [row] = await execute<TicketRow[]>(tx, ticketSql.byId(tx.tenantId, id));
    return row ? toTicketView(row) : undefined;
  }

  /** The ticket, locked for the rest of the transaction; undefined when missing. */
  async findForUpdate(tx: TenantTx, id: string): Promise<TicketView | undefined> {
    const [row] = await execute<TicketRow[]>(tx, ticketSql.byId(tx.tenantId, id, true));
    return row ? toTicketView(row) : undefined;
  }

  /** The ticket, or the one it was merged into (following merges of merges): where a reply to it belongs. */
  async findFollowingMerges(tx: TenantTx, id: string): Promise<TicketView | undefined> {
    let ticket = await this.find(tx, id);
    for (let hop = 0; ticket?.mergedIntoId && hop < 10; hop++) ticket = (await this.find(tx, ticket.mergedIntoId)) ?? ticket;
    return ticket;
  }

  async nextNumber(tx: TenantTx): Promise<number> {
    const [{ last_number }] = await execute<{ last_number: number }[]>(tx, ticketSql.nextNumber(tx.tenantId));
    return last_number;
  }

  async insert(tx: TenantTx, ticket: NewTicketRow): Promise<TicketView> {
    const [row] = await execute<TicketRow[]>(tx, ticketSql.insert(tx.tenantId, ticket));
    return toTicketView(row);
  }

  /** Sets the fields and counts the version up. */
  async update(tx: TenantTx, id: string, values: Partial<Record<ChangeableField, unknown>>): Promise<void> {
    await execute(tx, ticketSql.update(tx.tenantId, id, values));
  }

  /** After a message: the status it leads to (maybe the same) and a new version. */
  async touchAfterMessage(tx: TenantTx, id: string, status: Status): Promise<void> {
    await execute(tx, ticketSql.touchAfterMessage(tx.tenantId, id, status));
  }

  /** Every ticket of `from` becomes `to`'s; answers the moved tickets with their new versions. */
  reassignRequester(tx: TenantTx, from: string, to: string): Promise<{ id: string; version: number }[]> {
    return execute(tx, ticketSql.reassignRequester(tx.tenantId, from, to));
  }

  async list(tx: TenantTx, criteria: TicketListCriteria): Promise<TicketView[]> {
    return (await execute<TicketRow[]>(tx, ticketSql.list(tx.tenantId, criteria))).map(toTicketView);
  }

  async changedSince(tx: TenantTx, from: readonly [at: string, id: string], inclusive: boolean, limit: number): Promise<TicketView[]> {
    return (await execute<TicketRow[]>(tx, ticketSql.changedSince(tx.tenantId, from, inclusive, limit))).map(toTicketView);
  }

  /** The tags this tenant uses most, as the vocabulary triage chooses from. */
  async knownTags(tx: TenantTx): Promise<string[]> {
    return (await execute<{ tag: string }[]>(tx, ticketSql.knownTags(tx.tenantId))).map((t) => t.tag);
  }

  /** One history entry per change, by the transaction's actor. */
  async recordHistory(tx: TenantTx, ticketId: string, action: string, changes: Record<string, { from?: unknown; to?: unknown }>): Promise<void> {
    const actor = { type: tx.context.actorType ?? 'system', id: tx.context.actorId };
    await execute(tx, ticketSql.recordHistory(tx.tenantId, ticketId, action, changes, actor));
  }

  /** Newest first, one more than `limit`, each with its position (the cursor). */
  async history(tx: TenantTx, ticketId: string, page: { limit: number; before?: string | number; field?: string }): Promise<{ position: number; entry: HistoryEntry }[]> {
    const rows = await execute<HistoryRow[]>(tx, ticketSql.history(tx.tenantId, ticketId, page));
    return rows.map((r) => ({ position: Number(r.position), entry: toHistoryEntry(r) }));
  }
}
