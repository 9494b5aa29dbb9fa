import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { Status } from '../domain/ticket';
import type { StoredValue } from '../domain/custom-fields';
import { customFieldsSql, toFieldView, toFormView, type FieldRow, type FormRow, type TicketFieldView, type TicketFormView } from './custom-fields.sql';
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

  /** A list sorted by a custom field (`criteria.sortField`), each ticket with its sort key as text (null: no value), for the cursor. */
  async listByField(tx: TenantTx, criteria: TicketListCriteria): Promise<{ ticket: TicketView; sortKey: string | null }[]> {
    const rows = await execute<(TicketRow & { sort_value: unknown })[]>(tx, ticketSql.list(tx.tenantId, criteria));
    return rows.map((r) => ({ ticket: toTicketView(r), sortKey: sortKeyText(r.sort_value) }));
  }

  /** Only custom field values changed: counts the version up. */
  async touch(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, ticketSql.touch(tx.tenantId, id));
  }

  /** Every custom field of the tenant (deleted ones too): what a ticket's values are checked against. */
  async fieldRules(tx: TenantTx): Promise<TicketFieldView[]> {
    return (await execute<FieldRow[]>(tx, customFieldsSql.allFields(tx.tenantId))).map(toFieldView);
  }

  /** A live ticket form, or the tenant's default form (`'default'`); undefined when there is none. */
  async liveForm(tx: TenantTx, id: string | 'default'): Promise<TicketFormView | undefined> {
    const [row] = await execute<FormRow[]>(tx, id === 'default' ? customFieldsSql.defaultForm(tx.tenantId) : customFieldsSql.form(tx.tenantId, id, { live: true }));
    return row ? toFormView(row) : undefined;
  }

  /** Sets (a value) or clears (null) one custom field value of the ticket. */
  async writeFieldValue(tx: TenantTx, ticketId: string, fieldId: string, value: StoredValue | null): Promise<void> {
    await execute(tx, value ? customFieldsSql.upsertValue(tx.tenantId, ticketId, fieldId, value) : customFieldsSql.deleteValue(tx.tenantId, ticketId, fieldId));
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

/** A sort value as the cursor carries it: exact text (numerics come as text; a date column is parsed at local midnight, read back the same way). */
function sortKeyText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v);
}
