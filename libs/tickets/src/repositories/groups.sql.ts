import type { Statement } from '@switchboard/platform';

/** The AI assists a group's tickets may use: the group's AI posture, enforced by the assist commands. */
export const AI_ASSISTS = ['summary', 'draft', 'triage'] as const;
export type AiAssist = (typeof AI_ASSISTS)[number];

export interface GroupRow {
  id: string;
  name: string;
  description: string | null;
  business_calendar_id: string | null;
  sla_policy_id: string | null;
  ai_summary: boolean;
  ai_draft: boolean;
  ai_triage: boolean;
  email_signature: string | null;
  assignment_policy: string | null;
  member_count: string | number;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** What a group's profile holds; a command sets all of them at once. */
export interface GroupFields {
  name: string;
  description: string | null;
  businessCalendarId: string | null;
  slaPolicyId: string | null;
  aiAssists: Record<AiAssist, boolean>;
  emailSignature: string | null;
  assignmentPolicy: string | null;
}

export interface GroupView extends GroupFields {
  id: string;
  memberCount: number;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface GroupMemberView {
  userId: string;
  addedAt: string;
}

const COLUMNS = `g.id, g.name, g.description, g.business_calendar_id, g.sla_policy_id, g.ai_summary, g.ai_draft, g.ai_triage, g.email_signature, g.assignment_policy,
  (SELECT count(*) FROM ticket_group_members m WHERE m.tenant_id = g.tenant_id AND m.group_id = g.id) AS member_count,
  g.deleted_at, g.created_at, g.updated_at, g.version`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const toGroupView = (r: GroupRow): GroupView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  businessCalendarId: r.business_calendar_id,
  slaPolicyId: r.sla_policy_id,
  aiAssists: { summary: r.ai_summary, draft: r.ai_draft, triage: r.ai_triage },
  emailSignature: r.email_signature,
  assignmentPolicy: r.assignment_policy,
  memberCount: Number(r.member_count),
  deletedAt: iso(r.deleted_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

const fieldParams = (f: GroupFields) => [
  f.name,
  f.description,
  f.businessCalendarId,
  f.slaPolicyId,
  f.aiAssists.summary,
  f.aiAssists.draft,
  f.aiAssists.triage,
  f.emailSignature,
  f.assignmentPolicy,
];

export const groupsSql = {
  /** Deleted groups too (tickets and history still name them) unless `live`. */
  find: (tenantId: string, id: string, opts: { lock?: boolean; live?: boolean } = {}): Statement => ({
    sql: `SELECT ${COLUMNS} FROM ticket_groups g WHERE g.tenant_id = $1 AND g.id = $2${opts.live ? ' AND g.deleted_at IS NULL' : ''}${opts.lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  insert: (tenantId: string, f: GroupFields): Statement => ({
    sql: `INSERT INTO ticket_groups AS g (tenant_id, name, description, business_calendar_id, sla_policy_id, ai_summary, ai_draft, ai_triage, email_signature, assignment_policy)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    params: [tenantId, ...fieldParams(f)],
  }),

  update: (tenantId: string, id: string, f: GroupFields): Statement => ({
    sql: `UPDATE ticket_groups SET name = $3, description = $4, business_calendar_id = $5, sla_policy_id = $6, ai_summary = $7, ai_draft = $8, ai_triage = $9,
                 email_signature = $10, assignment_policy = $11, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, ...fieldParams(f)],
  }),

  softDelete: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE ticket_groups SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
    params: [tenantId, id],
  }),

  /** By name (case-insensitive), then id; one more than `limit`; `after` is the last row's (lower(name), id). */
  list: (tenantId: string, page: { limit: number; after?: [string, string]; memberId?: string }): Statement => {
    const params: unknown[] = [tenantId, page.limit + 1];
    let where = '';
    if (page.after) where += ` AND (lower(g.name), g.id) > ($${params.push(page.after[0])}, $${params.push(page.after[1])}::uuid)`;
    if (page.memberId) where += ` AND EXISTS (SELECT 1 FROM ticket_group_members m WHERE m.tenant_id = g.tenant_id AND m.group_id = g.id AND m.user_id = $${params.push(page.memberId)}::uuid)`;
    return {
      sql: `SELECT ${COLUMNS} FROM ticket_groups g WHERE g.tenant_id = $1 AND g.deleted_at IS NULL${where} ORDER BY lower(g.name), g.id LIMIT $2`,
      params,
    };
  },

  /** Every live group's id and name, for triage to choose from (tenants have tens of groups, not thousands). */
  names: (tenantId: string, limit: number): Statement => ({
    sql: `SELECT id, name, description FROM ticket_groups WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY lower(name), id LIMIT $2`,
    params: [tenantId, limit],
  }),

  /** A live group of this name (case-insensitive), other than `exceptId`. */
  nameTaken: (tenantId: string, name: string, exceptId: string | null): Statement => ({
    sql: `SELECT id FROM ticket_groups WHERE tenant_id = $1 AND lower(name) = lower($2) AND deleted_at IS NULL AND id IS DISTINCT FROM $3::uuid`,
    params: [tenantId, name, exceptId],
  }),

  /** How many tickets of the group are not solved or closed yet. */
  unsolvedTickets: (tenantId: string, groupId: string): Statement => ({
    sql: `SELECT count(*)::int AS n FROM tickets WHERE tenant_id = $1 AND group_id = $2 AND deleted_at IS NULL AND status NOT IN ('solved', 'closed')`,
    params: [tenantId, groupId],
  }),

  addMember: (tenantId: string, groupId: string, userId: string): Statement => ({
    sql: `INSERT INTO ticket_group_members (tenant_id, group_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING created_at`,
    params: [tenantId, groupId, userId],
  }),

  removeMember: (tenantId: string, groupId: string, userId: string): Statement => ({
    sql: `DELETE FROM ticket_group_members WHERE tenant_id = $1 AND group_id = $2 AND user_id = $3 RETURNING user_id`,
    params: [tenantId, groupId, userId],
  }),

  /** Removes a user from every group (they left the tenant); answers the groups they were in. */
  removeFromAll: (tenantId: string, userId: string): Statement => ({
    sql: `DELETE FROM ticket_group_members WHERE tenant_id = $1 AND user_id = $2 RETURNING group_id`,
    params: [tenantId, userId],
  }),

  /** Every membership of the tenant's live groups (a tenant has tens of groups), for listings that show members. */
  allMembers: (tenantId: string): Statement => ({
    sql: `SELECT m.group_id, m.user_id FROM ticket_group_members m JOIN ticket_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
          WHERE m.tenant_id = $1 AND g.deleted_at IS NULL ORDER BY m.created_at, m.user_id`,
    params: [tenantId],
  }),

  isMember: (tenantId: string, groupId: string, userId: string): Statement => ({
    sql: `SELECT 1 FROM ticket_group_members WHERE tenant_id = $1 AND group_id = $2 AND user_id = $3`,
    params: [tenantId, groupId, userId],
  }),

  /** Members by when they joined; one more than `limit`; `after` is the last row's (created_at, user_id). */
  members: (tenantId: string, groupId: string, page: { limit: number; after?: [string, string] }): Statement => {
    const params: unknown[] = [tenantId, groupId, page.limit + 1];
    let where = '';
    if (page.after) where = ` AND (created_at, user_id) > ($${params.push(page.after[0])}::timestamptz, $${params.push(page.after[1])}::uuid)`;
    return {
      sql: `SELECT user_id, created_at FROM ticket_group_members WHERE tenant_id = $1 AND group_id = $2${where} ORDER BY created_at, user_id LIMIT $3`,
      params,
    };
  },
};
