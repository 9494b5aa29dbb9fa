import { Injectable } from '@nestjs/common';
import { REDACTION_BATCH, redactBatch, type RedactableTable, type TenantTx } from '@switchboard/platform';
import { ATTACHMENT_COLUMNS, toAttachmentView, type AttachmentRow, type AttachmentView } from './attachments.sql';
import { execute } from './execute';
import { MESSAGE_COLUMNS, toMessageView, type MessageRow, type MessageView } from './messages.sql';
import { TICKET_COLUMNS, toTicketView, type TicketRow, type TicketView } from './tickets.sql';

/** Rows removed per statement while purging; each batch is its own transaction. */
export const PURGE_BATCH = 500;
/** A redaction batch smaller than this was the table's last. */
export const REDACT_BATCH_DONE = REDACTION_BATCH;
/** What a message written by an erased contact says afterwards. */
export const ERASED_MESSAGE = '[This message was erased at the customer’s request]';

export interface DeletionState {
  id: string;
  number: number;
  deletedAt: string;
  deletedBy: string | null;
  purgedAt: string | null;
}

/** The tickets context's tables that may carry a person's data in their text (ADR 0031). */
export const TICKET_REDACTABLE: readonly RedactableTable[] = [
  { table: 'tickets', text: ['subject', 'external_id'] },
  { table: 'ticket_messages', text: ['body', 'html'] },
  { table: 'ticket_events', json: ['changes'] },
  { table: 'ticket_attachments', text: ['filename'] },
  { table: 'ticket_ai_suggestions', text: ['reason'], json: ['output', 'applied'] },
  // Channels (ADR 0034): who wrote and whom replies go to. Raw MIME is wiped whole (eraseInboundRaw).
  { table: 'channel_inbound', text: ['sender', 'subject', 'error'] },
  { table: 'channel_conversations', text: ['contact_address', 'subject'] },
  { table: 'channel_deliveries', text: ['recipient', 'error'] },
];

/**
 * Statements for deleting tickets and erasing a contact from tickets. Every batch is idempotent
 * by its predicate (what it removed or rewrote no longer matches), so a crash resumes cleanly.
 */
@Injectable()
export class TicketDeletionRepository {
  /** Marks a live ticket deleted; answers its number and new version, or undefined when missing or already deleted. */
  async markDeleted(tx: TenantTx, ticketId: string, deletedBy: string | null): Promise<{ number: number; version: number; deletedAt: string } | undefined> {
    const rows = await execute<{ number: number; version: number; deleted_at: Date }[]>(tx, {
      sql: `WITH changed AS (UPDATE tickets SET deleted_at = now(), deleted_by = $3, version = version + 1, updated_at = now()
            WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING number, version, deleted_at) SELECT number, version, deleted_at FROM changed`,
      params: [tx.tenantId, ticketId, deletedBy],
    });
    const row = rows[0];
    return row && { number: row.number, version: row.version, deletedAt: new Date(row.deleted_at).toISOString() };
  }

  async state(tx: TenantTx, ticketId: string): Promise<DeletionState | undefined> {
    const rows = await execute<{ id: string; number: number; deleted_at: Date; deleted_by: string | null; purged_at: Date | null }[]>(tx, {
      sql: `SELECT id, number, deleted_at, deleted_by, purged_at FROM tickets WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NOT NULL`,
      params: [tx.tenantId, ticketId],
    });
    const r = rows[0];
    return r && { id: r.id, number: r.number, deletedAt: new Date(r.deleted_at).toISOString(), deletedBy: r.deleted_by, purgedAt: r.purged_at ? new Date(r.purged_at).toISOString() : null };
  }

  /** Storage keys of up to `limit` attachments of one ticket. */
  async attachmentKeys(tx: TenantTx, ticketId: string, limit = PURGE_BATCH): Promise<{ id: string; storageKey: string }[]> {
    const rows = await execute<{ id: string; storage_key: string }[]>(tx, {
      sql: `SELECT id, storage_key FROM ticket_attachments WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY id LIMIT $3`,
      params: [tx.tenantId, ticketId, limit],
    });
    return rows.map((r) => ({ id: r.id, storageKey: r.storage_key }));
  }

  /** Attachments on the contact's tickets, or uploaded as the contact: what they sent or what is about them. */
  async attachmentKeysOfContact(tx: TenantTx, contactId: string, limit = PURGE_BATCH): Promise<{ id: string; storageKey: string }[]> {
    const rows = await execute<{ id: string; storage_key: string }[]>(tx, {
      sql: `SELECT a.id, a.storage_key FROM ticket_attachments a
            WHERE a.tenant_id = $1 AND (a.uploaded_by = $2::text OR a.ticket_id IN (SELECT id FROM tickets WHERE tenant_id = $1 AND requester_id = $2::uuid))
            ORDER BY a.id LIMIT $3`,
      params: [tx.tenantId, contactId, limit],
    });
    return rows.map((r) => ({ id: r.id, storageKey: r.storage_key }));
  }

  async deleteAttachments(tx: TenantTx, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await execute<unknown[]>(tx, { sql: `WITH changed AS (DELETE FROM ticket_attachments WHERE tenant_id = $1 AND id = ANY($2::uuid[]) RETURNING 1) SELECT 1 FROM changed`, params: [tx.tenantId, ids] });
    return rows.length;
  }

  /** Up to `limit` rows of one of the ticket's child tables. */
  async deleteChildren(tx: TenantTx, table: 'ticket_messages' | 'ticket_ai_suggestions' | 'ticket_events', ticketId: string, limit = PURGE_BATCH): Promise<number> {
    const rows = await execute<unknown[]>(tx, {
      sql: `WITH changed AS (DELETE FROM ${table} WHERE tenant_id = $1 AND id IN (SELECT id FROM ${table} WHERE tenant_id = $1 AND ticket_id = $2 LIMIT $3) RETURNING 1) SELECT 1 FROM changed`,
      params: [tx.tenantId, ticketId, limit],
    });
    return rows.length;
  }

  async deleteParticipants(tx: TenantTx, where: { ticketId?: string; participantId?: string }): Promise<number> {
    const rows = await execute<unknown[]>(tx, {
      sql: `WITH changed AS (DELETE FROM ticket_participants WHERE tenant_id = $1 AND ($2::uuid IS NULL OR ticket_id = $2) AND ($3::uuid IS NULL OR participant_id = $3) RETURNING 1) SELECT 1 FROM changed`,
      params: [tx.tenantId, where.ticketId ?? null, where.participantId ?? null],
    });
    return rows.length;
  }

  /** A deleted ticket's custom field values (a few rows a ticket: one statement). */
  async deleteFieldValues(tx: TenantTx, ticketId: string): Promise<number> {
    const rows = await execute<unknown[]>(tx, {
      sql: `WITH changed AS (DELETE FROM ticket_field_values WHERE tenant_id = $1 AND ticket_id = $2 RETURNING 1) SELECT 1 FROM changed`,
      params: [tx.tenantId, ticketId],
    });
    return rows.length;
  }

  /** The tombstone: the row keeps its id, number, requester and times; its content goes. */
  async tombstone(tx: TenantTx, ticketId: string): Promise<boolean> {
    const rows = await execute<unknown[]>(tx, {
      sql: `WITH changed AS (UPDATE tickets SET subject = 'Deleted ticket', tags = '{}', external_id = NULL, purged_at = now()
            WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NOT NULL AND purged_at IS NULL RETURNING 1) SELECT 1 FROM changed`,
      params: [tx.tenantId, ticketId],
    });
    return rows.length > 0;
  }

  /** Messages the contact wrote say that they were erased; answers how many changed. */
  async eraseAuthoredMessages(tx: TenantTx, contactId: string, limit = PURGE_BATCH): Promise<number> {
    const rows = await execute<unknown[]>(tx, {
      sql: `WITH changed AS (UPDATE ticket_messages SET body = $3, html = NULL
            WHERE tenant_id = $1 AND id IN (SELECT id FROM ticket_messages WHERE tenant_id = $1 AND author_type = 'contact' AND author_id = $2 AND (body <> $3 OR html IS NOT NULL) LIMIT $4)
            RETURNING 1) SELECT 1 FROM changed`,
      params: [tx.tenantId, contactId, ERASED_MESSAGE, limit],
    });
    return rows.length;
  }

  /** AI suggestions on the contact's tickets: derived from their words, so they go. */
  async deleteSuggestionsOfRequester(tx: TenantTx, contactId: string, limit = PURGE_BATCH): Promise<number> {
    const rows = await execute<unknown[]>(tx, {
      sql: `WITH changed AS (DELETE FROM ticket_ai_suggestions WHERE tenant_id = $1 AND id IN (
              SELECT s.id FROM ticket_ai_suggestions s JOIN tickets t ON t.tenant_id = s.tenant_id AND t.id = s.ticket_id
              WHERE s.tenant_id = $1 AND t.requester_id = $2 LIMIT $3) RETURNING 1) SELECT 1 FROM changed`,
      params: [tx.tenantId, contactId, limit],
    });
    return rows.length;
  }

  /** For an access request: the contact's live tickets, oldest first. */
  async ticketsOfRequester(tx: TenantTx, contactId: string): Promise<TicketView[]> {
    const rows = await execute<TicketRow[]>(tx, {
      sql: `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND requester_id = $2 AND deleted_at IS NULL ORDER BY created_at, id`,
      params: [tx.tenantId, contactId],
    });
    return rows.map(toTicketView);
  }

  /** Every message of these tickets, and whatever the contact wrote elsewhere. */
  async messagesOf(tx: TenantTx, ticketIds: string[], contactId: string): Promise<MessageView[]> {
    const rows = await execute<MessageRow[]>(tx, {
      sql: `SELECT ${MESSAGE_COLUMNS} FROM ticket_messages m
             WHERE tenant_id = $1 AND (ticket_id = ANY($2::uuid[]) OR (author_type = 'contact' AND author_id = $3))
               AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.tenant_id = m.tenant_id AND t.id = m.ticket_id AND t.deleted_at IS NOT NULL)
             ORDER BY created_at, id`,
      params: [tx.tenantId, ticketIds, contactId],
    });
    return rows.map(toMessageView);
  }

  async attachmentsOf(tx: TenantTx, ticketIds: string[]): Promise<AttachmentView[]> {
    const rows = await execute<AttachmentRow[]>(tx, {
      sql: `SELECT ${ATTACHMENT_COLUMNS} FROM ticket_attachments WHERE tenant_id = $1 AND ticket_id = ANY($2::uuid[]) ORDER BY created_at, id`,
      params: [tx.tenantId, ticketIds],
    });
    return rows.map(toAttachmentView);
  }

  /**
   * Inbound mail that names the person anywhere (sender, headers, body, attachments) loses its raw
   * MIME: bytes cannot be redacted in place, so the whole original is replaced by a note. Their
   * bouncing marks go too. One batch; a short batch was the last.
   */
  async eraseInboundRaw(tx: TenantTx, pattern: string, limit = PURGE_BATCH): Promise<number> {
    await execute(tx, { sql: `DELETE FROM channel_bouncing_addresses WHERE tenant_id = $1 AND address ~* $2`, params: [tx.tenantId, pattern] });
    const rows = await execute<{ n: number }[]>(tx, {
      sql: `WITH batch AS (SELECT ctid FROM channel_inbound WHERE tenant_id = $1 AND raw <> convert_to($3, 'UTF8') AND (sender ~* $2 OR encode(raw, 'escape') ~* $2) LIMIT ${Number(limit)}),
            changed AS (UPDATE channel_inbound SET raw = convert_to($3, 'UTF8'), size = octet_length(convert_to($3, 'UTF8')) WHERE tenant_id = $1 AND ctid IN (SELECT ctid FROM batch) RETURNING 1)
            SELECT count(*)::int AS n FROM changed`,
      params: [tx.tenantId, pattern, ERASED_MESSAGE],
    });
    return rows[0]?.n ?? 0;
  }

  redact(tx: TenantTx, spec: RedactableTable, pattern: string): Promise<number> {
    return redactBatch(tx.manager, tx.tenantId, spec, pattern);
  }
}
