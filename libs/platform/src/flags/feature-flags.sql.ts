import type { EntityManager } from 'typeorm';
import type { FlagKind, FlagRule } from './feature-flag';

/** A platform table (no tenant column, no row-level security), like `platform_secrets`: operators' settings, read by every process. */
const COLUMNS = `name, kind, enabled, percentage::float8 AS percentage, rollout_by, allow_tenants::text[] AS allow_tenants, allow_users, plans, tenant_overrides,
  expires_at, version, updated_at`;

interface Row {
  name: string;
  kind: FlagKind;
  enabled: boolean;
  percentage: number;
  rollout_by: 'tenant' | 'user';
  allow_tenants: string[];
  allow_users: string[];
  plans: string[];
  tenant_overrides: Record<string, boolean>;
  expires_at: Date | null;
  version: number;
  updated_at: Date;
}

const toRule = (r: Row): FlagRule => ({
  name: r.name,
  kind: r.kind,
  enabled: r.enabled,
  percentage: Number(r.percentage),
  rolloutBy: r.rollout_by,
  allowTenants: r.allow_tenants,
  allowUsers: r.allow_users,
  plans: r.plans,
  tenantOverrides: r.tenant_overrides,
  expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null,
  version: r.version,
  updatedAt: new Date(r.updated_at).toISOString(),
});

type Queryable = Pick<EntityManager, 'query'>;

export async function allFlagRules(q: Queryable): Promise<FlagRule[]> {
  return ((await q.query(`SELECT ${COLUMNS} FROM feature_flags ORDER BY name`)) as Row[]).map(toRule);
}

export async function flagRuleForUpdate(q: Queryable, name: string): Promise<FlagRule | undefined> {
  const rows = (await q.query(`SELECT ${COLUMNS} FROM feature_flags WHERE name = $1 FOR UPDATE`, [name])) as Row[];
  return rows[0] ? toRule(rows[0]) : undefined;
}

export type FlagRuleInput = Omit<FlagRule, 'name' | 'version' | 'updatedAt'>;

export async function upsertFlagRule(q: Queryable, name: string, input: FlagRuleInput, updatedBy: string | null): Promise<FlagRule> {
  const rows = (await q.query(
    `INSERT INTO feature_flags AS f (name, kind, enabled, percentage, rollout_by, allow_tenants, allow_users, plans, tenant_overrides, expires_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7::text[], $11::text[], $8::jsonb, $9, $10)
     ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, enabled = EXCLUDED.enabled, percentage = EXCLUDED.percentage, rollout_by = EXCLUDED.rollout_by,
       allow_tenants = EXCLUDED.allow_tenants, allow_users = EXCLUDED.allow_users, plans = EXCLUDED.plans, tenant_overrides = EXCLUDED.tenant_overrides, expires_at = EXCLUDED.expires_at,
       updated_by = EXCLUDED.updated_by, updated_at = now(), version = f.version + 1
     RETURNING ${COLUMNS}`,
    [name, input.kind, input.enabled, input.percentage, input.rolloutBy, input.allowTenants, input.allowUsers, JSON.stringify(input.tenantOverrides), input.expiresAt, updatedBy, input.plans],
  )) as Row[];
  return toRule(rows[0]);
}

export async function deleteFlagRule(q: Queryable, name: string): Promise<void> {
  await q.query(`DELETE FROM feature_flags WHERE name = $1`, [name]);
}
