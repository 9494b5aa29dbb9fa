import type { Statement } from '@switchboard/platform';
import { TICKET_COLUMNS } from './tickets.sql';

/**
 * A ticket merge's statements: the source's conversation, attachments, participants and history
 * move to the target; the source closes with a link to the target, the target lists the source.
 * MergesRepository executes them in the merge's transaction, after both tickets are locked.
 */
const count = (sql: string) => `WITH moved AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM moved`;

export const mergesSql = {
  /** The ticket, deleted or not, locked: a merge tells a deleted target from a missing one. */
  lock: (tenantId: string, id: string): Statement => ({
    sql: `SELECT ${TICKET_COLUMNS}, deleted_at IS NOT NULL AS deleted FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    params: [tenantId, id],
  }),

  moveMessages: (tenantId: string, from: string, to: string): Statement => ({
    sql: count(`UPDATE ticket_messages SET ticket_id = $3 WHERE tenant_id = $1 AND ticket_id = $2`),
    params: [tenantId, from, to],
  }),

  moveAttachments: (tenantId: string, from: string, to: string): Statement => ({
    sql: count(`UPDATE ticket_attachments SET ticket_id = $3 WHERE tenant_id = $1 AND ticket_id = $2`),
    params: [tenantId, from, to],
  }),

  /**
   * History keeps its positions, so the target's timeline interleaves both tickets' past in order;
   * each entry remembers the ticket it was recorded on, so reporting keeps each ticket's metrics its own (ADR 0051).
   */
  moveHistory: (tenantId: string, from: string, to: string): Statement => ({
    sql: count(`UPDATE ticket_events SET origin_ticket_id = COALESCE(origin_ticket_id, ticket_id), ticket_id = $3 WHERE tenant_id = $1 AND ticket_id = $2`),
    params: [tenantId, from, to],
  }),

  /** CCs and followers the target lacks are added to it (keeping when they joined); the source's are removed. */
  moveParticipants: (tenantId: string, from: string, to: string): Statement => ({
    sql: `WITH moved AS (
            INSERT INTO ticket_participants (tenant_id, ticket_id, role, participant_id, created_at)
            SELECT tenant_id, $3, role, participant_id, created_at FROM ticket_participants WHERE tenant_id = $1 AND ticket_id = $2
            ON CONFLICT DO NOTHING RETURNING 1),
          gone AS (DELETE FROM ticket_participants WHERE tenant_id = $1 AND ticket_id = $2 RETURNING 1)
          SELECT (SELECT count(*)::int FROM moved) AS n`,
    params: [tenantId, from, to],
  }),

  /** The source's requester is copied on the target's replies (answers 1 when newly added). */
  ccRequester: (tenantId: string, ticketId: string, contactId: string): Statement => ({
    sql: count(`INSERT INTO ticket_participants (tenant_id, ticket_id, role, participant_id) VALUES ($1, $2, 'cc', $3) ON CONFLICT DO NOTHING`),
    params: [tenantId, ticketId, contactId],
  }),

  closeSource: (tenantId: string, id: string, targetId: string): Statement => ({
    sql: `UPDATE tickets SET status = 'closed', custom_status_id = NULL, merged_into_id = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, targetId],
  }),

  extendTarget: (tenantId: string, id: string, sourceId: string, tags: string[]): Statement => ({
    sql: `UPDATE tickets SET merged_from = array_append(merged_from, $3::uuid), tags = $4, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, sourceId, tags],
  }),
};
