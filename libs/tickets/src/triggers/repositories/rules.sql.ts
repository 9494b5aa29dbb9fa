import type { Statement } from '@switchboard/platform';
import type { RuleAction, RuleConditions } from '../domain/rules';

export type RuleTable = 'ticket_triggers' | 'ticket_automations';

export interface RuleRow {
  id: string;
  name: string;
  description: string | null;
  position: number;
  active: boolean;
  conditions: RuleConditions;
  actions: RuleAction[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface RuleFields {
  name: string;
  description: string | null;
  position: number;
  active: boolean;
  conditions: RuleConditions;
  actions: RuleAction[];
}

/** A trigger or an automation as the API shows it. */
export interface RuleView extends RuleFields {
  id: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const COLUMNS = 'id, name, description, position, active, conditions, actions, created_at, updated_at, version';

export const toRuleView = (r: RuleRow): RuleView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  position: r.position,
  active: r.active,
  conditions: r.conditions,
  actions: r.actions,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
});

const values = (f: RuleFields) => [f.name, f.description, f.position, f.active, JSON.stringify(f.conditions), JSON.stringify(f.actions)];

/** Table names are the two constants above, never input. */
export const rulesSql = {
  find: (table: RuleTable, tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM ${table} WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),
  insert: (table: RuleTable, tenantId: string, f: RuleFields): Statement => ({
    sql: `INSERT INTO ${table} (tenant_id, name, description, position, active, conditions, actions) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb) RETURNING ${COLUMNS}`,
    params: [tenantId, ...values(f)],
  }),
  update: (table: RuleTable, tenantId: string, id: string, f: RuleFields): Statement => ({
    sql: `UPDATE ${table} SET name = $3, description = $4, position = $5, active = $6, conditions = $7::jsonb, actions = $8::jsonb, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    params: [tenantId, id, ...values(f)],
  }),
  softDelete: (table: RuleTable, tenantId: string, id: string): Statement => ({
    sql: `UPDATE ${table} SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id],
  }),
  /** Live rules in the order they run (`activeOnly`: the ones that run). */
  list: (table: RuleTable, tenantId: string, activeOnly = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM ${table} WHERE tenant_id = $1 AND deleted_at IS NULL${activeOnly ? ' AND active' : ''} ORDER BY position, created_at, id LIMIT 500`,
    params: [tenantId],
  }),
  nameTaken: (table: RuleTable, tenantId: string, name: string, exceptId: string | null): Statement => ({
    sql: `SELECT 1 FROM ${table} WHERE tenant_id = $1 AND lower(name) = lower($2) AND deleted_at IS NULL AND id IS DISTINCT FROM $3::uuid`,
    params: [tenantId, name, exceptId],
  }),
  /** Positions 0, 1, 2… in the order given; a version step for each rule whose position moved. */
  reorder: (table: RuleTable, tenantId: string, ids: string[]): Statement => ({
    sql: `UPDATE ${table} r SET position = o.i - 1, updated_at = now(), version = version + 1
          FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, i)
          WHERE r.tenant_id = $1 AND r.id = o.id AND r.deleted_at IS NULL AND r.position <> o.i - 1`,
    params: [tenantId, ids],
  }),
  /** When the ticket entered its current status: its last status change, else its creation. */
  statusSince: (tenantId: string, ticketId: string): Statement => ({
    sql: `SELECT COALESCE((SELECT max(created_at) FROM ticket_events WHERE tenant_id = $1 AND ticket_id = $2 AND changes ? 'status' AND action <> 'ticket.created'),
                          (SELECT created_at FROM tickets WHERE tenant_id = $1 AND id = $2)) AS at`,
    params: [tenantId, ticketId],
  }),
};

export interface AgeCondition {
  since: 'created' | 'updated' | 'status_changed';
  hours: number;
}

export interface AutomationCandidate {
  id: string;
  status_since: Date;
}

export const automationsSql = {
  cursor: (tenantId: string, id: string): Statement => ({ sql: `SELECT cursor FROM ticket_automations WHERE tenant_id = $1 AND id = $2`, params: [tenantId, id] }),
  setCursor: (tenantId: string, id: string, cursor: string | null): Statement => ({
    sql: `UPDATE ticket_automations SET cursor = $3 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, cursor],
  }),
  /**
   * The next tickets after the cursor (by id) that the automation has not acted on in their
   * current state, with when they entered it; the status and hour conditions are tested in code.
   */
  candidates: (tenantId: string, automationId: string, after: string | null, statuses: string[] | null, limit: number, ages: AgeCondition[] = []): Statement => {
    const params: unknown[] = [tenantId, automationId, after, statuses, limit];
    const column = { created: 't.created_at', updated: 't.updated_at', status_changed: 's.at' } as const;
    // Old enough, in SQL: the hours come in as parameters, the column from the fixed map above.
    const old = ages.map((a) => ` AND ${column[a.since]} <= now() - make_interval(hours => $${params.push(a.hours)}::int)`).join('');
    return {
    sql: `SELECT t.id, s.at AS status_since FROM tickets t
          CROSS JOIN LATERAL (SELECT COALESCE((SELECT max(e.created_at) FROM ticket_events e WHERE e.tenant_id = t.tenant_id AND e.ticket_id = t.id AND e.changes ? 'status' AND e.action <> 'ticket.created'), t.created_at) AS at) s
          WHERE t.tenant_id = $1 AND t.deleted_at IS NULL AND t.merged_into_id IS NULL AND ($3::uuid IS NULL OR t.id > $3) AND ($4::text[] IS NULL OR t.status = ANY($4))${old}
            AND NOT EXISTS (SELECT 1 FROM automation_runs r WHERE r.tenant_id = t.tenant_id AND r.automation_id = $2 AND r.ticket_id = t.id AND r.state_key = t.status || '@' || to_char(s.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS'))
          ORDER BY t.id LIMIT $5`,
    params,
    };
  },
  /** The once-per-state record; nothing when another run recorded it first. */
  recordRun: (tenantId: string, automationId: string, ticketId: string, stateKey: string, version: number): Statement => ({
    sql: `INSERT INTO automation_runs (tenant_id, automation_id, ticket_id, state_key, automation_version) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING ticket_id`,
    params: [tenantId, automationId, ticketId, stateKey, version],
  }),
  /** Tenants with an active automation (the scheduled job's work list; read as the system). */
  tenantsWithAutomations: (): Statement => ({
    sql: `SELECT DISTINCT tenant_id FROM ticket_automations WHERE deleted_at IS NULL AND active ORDER BY tenant_id LIMIT 10000`,
    params: [],
  }),
};

export const stateKeyOf = (status: string, since: Date) => `${status}@${new Date(since).toISOString().slice(0, 23)}`;
