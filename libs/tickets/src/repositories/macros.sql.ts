import type { Statement } from '@switchboard/platform';
import type { MacroAction, MacroBroken } from '../domain/macros';

/** A tenant's macros: named, ordered ticket actions that agents apply. MacrosRepository executes these. */
export interface MacroRow {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  actions: MacroAction[];
  usage_count: number;
  last_used_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** What a command writes; all at once. */
export interface MacroFields {
  name: string;
  description: string | null;
  active: boolean;
  actions: MacroAction[];
}

export interface MacroView extends MacroFields {
  id: string;
  usageCount: number;
  lastUsedAt: string | null;
  /** Set when an action's group or checklist template no longer exists: apply and preview refuse it until the macro is edited. */
  broken: MacroBroken | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const COLUMNS = 'id, name, description, active, actions, usage_count, last_used_at, created_at, updated_at, version';

export const toMacroView = (r: MacroRow, broken: MacroBroken | null): MacroView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  active: r.active,
  actions: r.actions,
  usageCount: r.usage_count,
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  broken,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
});

export const macrosSql = {
  find: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM ticket_macros WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  insert: (tenantId: string, f: MacroFields): Statement => ({
    sql: `INSERT INTO ticket_macros (tenant_id, name, description, active, actions) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING ${COLUMNS}`,
    params: [tenantId, f.name, f.description, f.active, JSON.stringify(f.actions)],
  }),

  update: (tenantId: string, id: string, f: MacroFields): Statement => ({
    sql: `WITH u AS (UPDATE ticket_macros SET name = $3, description = $4, active = $5, actions = $6::jsonb, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}) SELECT * FROM u`,
    params: [tenantId, id, f.name, f.description, f.active, JSON.stringify(f.actions)],
  }),

  softDelete: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE ticket_macros SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
    params: [tenantId, id],
  }),

  /** One more use; the macro's version (its content) does not change. (A SELECT over the UPDATE: the driver answers a bare UPDATE with a row count.) */
  countUse: (tenantId: string, id: string): Statement => ({
    sql: `WITH u AS (UPDATE ticket_macros SET usage_count = usage_count + 1, last_used_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING usage_count) SELECT usage_count FROM u`,
    params: [tenantId, id],
  }),

  /** By name (case-insensitive), then id; one more than `limit`; `after` is the last row's (lower(name), id). */
  list: (tenantId: string, page: { limit: number; after?: [string, string]; active?: boolean }): Statement => {
    const params: unknown[] = [tenantId, page.limit + 1];
    let where = '';
    if (page.active !== undefined) where += ` AND active = $${params.push(page.active)}`;
    if (page.after) where += ` AND (lower(name), id) > ($${params.push(page.after[0])}, $${params.push(page.after[1])}::uuid)`;
    return { sql: `SELECT ${COLUMNS} FROM ticket_macros WHERE tenant_id = $1 AND deleted_at IS NULL${where} ORDER BY lower(name), id LIMIT $2`, params };
  },

  nameTaken: (tenantId: string, name: string, exceptId: string | null): Statement => ({
    sql: `SELECT id FROM ticket_macros WHERE tenant_id = $1 AND lower(name) = lower($2) AND deleted_at IS NULL AND id IS DISTINCT FROM $3::uuid`,
    params: [tenantId, name, exceptId],
  }),

  /** Which of these groups are live: what macros' `set_group` actions may still name. */
  liveGroups: (tenantId: string, ids: string[]): Statement => ({
    sql: `SELECT id FROM ticket_groups WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`,
    params: [tenantId, ids],
  }),

  /** The live checklist templates among these, with what a checklist copies from them. */
  liveTemplates: (tenantId: string, ids: string[]): Statement => ({
    sql: `SELECT id, name, items FROM ticket_checklist_templates WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`,
    params: [tenantId, ids],
  }),
};
