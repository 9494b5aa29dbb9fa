import type { Statement } from '@switchboard/platform';

export type ParticipantRole = 'cc' | 'follower';

/** A CC (a contact copied on replies) or a follower (a member watching the ticket). ParticipantsRepository executes these. */
export interface ParticipantView {
  role: ParticipantRole;
  /** A contact for a CC, a user for a follower. */
  participantId: string;
  createdAt: string;
}

export interface ParticipantRow {
  role: ParticipantRole;
  participant_id: string;
  created_at: Date;
}

export const toParticipantView = (r: ParticipantRow): ParticipantView => ({ role: r.role, participantId: r.participant_id, createdAt: new Date(r.created_at).toISOString() });

export const participantSql = {
  /** Answers the new row's created_at, or nothing when it was already there. */
  add: (tenantId: string, ticketId: string, role: ParticipantRole, participantId: string): Statement => ({
    sql: `INSERT INTO ticket_participants (tenant_id, ticket_id, role, participant_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING created_at`,
    params: [tenantId, ticketId, role, participantId],
  }),

  /** Answers the removed row's created_at, or nothing when there was none. */
  remove: (tenantId: string, ticketId: string, role: ParticipantRole, participantId: string): Statement => ({
    sql: `WITH d AS (DELETE FROM ticket_participants WHERE tenant_id = $1 AND ticket_id = $2 AND role = $3 AND participant_id = $4 RETURNING created_at)
           SELECT created_at FROM d`,
    params: [tenantId, ticketId, role, participantId],
  }),

  createdAt: (tenantId: string, ticketId: string, role: ParticipantRole, participantId: string): Statement => ({
    sql: `SELECT created_at FROM ticket_participants WHERE tenant_id = $1 AND ticket_id = $2 AND role = $3 AND participant_id = $4`,
    params: [tenantId, ticketId, role, participantId],
  }),

  ofTicket: (tenantId: string, ticketId: string): Statement => ({
    sql: `SELECT role, participant_id, created_at FROM ticket_participants WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY role, created_at`,
    params: [tenantId, ticketId],
  }),
};
