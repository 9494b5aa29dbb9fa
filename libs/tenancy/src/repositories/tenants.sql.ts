import { decodeCursor } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';

export type TenantStatus = 'active' | 'suspended' | 'deleting';

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  locale: string;
  status: TenantStatus;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface TenantView {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  locale: string;
  status: TenantStatus;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const TENANT_COLUMNS = 'id, slug, name, timezone, locale, status, created_at, updated_at, version';

export const toTenantView = (t: TenantRow): TenantView => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  timezone: t.timezone,
  locale: t.locale,
  status: t.status,
  createdAt: new Date(t.created_at).toISOString(),
  updatedAt: new Date(t.updated_at).toISOString(),
  version: t.version,
});

export type TenantProfile = Pick<TenantView, 'name' | 'timezone' | 'locale'>;

export async function findTenant(m: EntityManager, id: string, lock = false): Promise<TenantView | undefined> {
  const rows: TenantRow[] = await m.query(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toTenantView(rows[0]) : undefined;
}

export async function insertTenant(m: EntityManager, id: string, input: TenantProfile & { slug: string }): Promise<TenantView> {
  const rows: TenantRow[] = await m.query(
    `INSERT INTO tenants (id, slug, name, timezone, locale) VALUES ($1, $2, $3, $4, $5) RETURNING ${TENANT_COLUMNS}`,
    [id, input.slug, input.name, input.timezone, input.locale],
  );
  return toTenantView(rows[0]);
}

/** Changes and returns the tenant (in a CTE so the driver returns rows: a bare UPDATE comes back as [rows, count]). */
async function updateTenant(m: EntityManager, id: string, set: string, params: unknown[]): Promise<TenantView> {
  const rows: TenantRow[] = await m.query(
    `WITH u AS (UPDATE tenants SET ${set}, updated_at = now(), version = version + 1 WHERE id = $1 RETURNING ${TENANT_COLUMNS}) SELECT * FROM u`,
    [id, ...params],
  );
  return toTenantView(rows[0]);
}

export const updateTenantProfile = (m: EntityManager, id: string, profile: TenantProfile) =>
  updateTenant(m, id, 'name = $2, timezone = $3, locale = $4', [profile.name, profile.timezone, profile.locale]);

export const setTenantStatus = (m: EntityManager, id: string, status: TenantStatus) => updateTenant(m, id, 'status = $2', [status]);

/** Platform operators' list: newest first, keyset-paginated; one row more than `limit` tells whether a next page exists. */
export async function listTenants(m: EntityManager, filter: { limit: number; cursor?: string; status?: TenantStatus }): Promise<TenantView[]> {
  const params: unknown[] = [filter.limit + 1];
  const where: string[] = [];
  if (filter.status) where.push(`status = $${params.push(filter.status)}`);
  if (filter.cursor) {
    const [createdAt, id] = decodeCursor(filter.cursor, 2);
    where.push(`(created_at, id) < ($${params.push(createdAt)}::timestamptz, $${params.push(id)}::uuid)`);
  }
  const rows: TenantRow[] = await m.query(
    `SELECT ${TENANT_COLUMNS} FROM tenants ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $1`,
    params,
  );
  return rows.map(toTenantView);
}

export interface PublicTenantRow {
  id: string;
  slug: string;
  name: string;
  locale: string;
}

export async function findActiveTenantBySlug(m: EntityManager, slug: string): Promise<PublicTenantRow | undefined> {
  const rows: PublicTenantRow[] = await m.query(`SELECT id, slug, name, locale FROM tenants WHERE slug = $1 AND status = 'active'`, [slug]);
  return rows[0];
}

/** The tenant and, when `userId` is given, that user, in one statement. */
export async function findTenantWithUser(
  m: EntityManager,
  tenantId: string,
  userId: string | null,
): Promise<{ tenant: Pick<TenantView, 'id' | 'slug' | 'name' | 'timezone' | 'locale'>; user: { id: string; email: string; name: string } | null } | undefined> {
  const [row]: (Pick<TenantRow, 'id' | 'slug' | 'name' | 'timezone' | 'locale'> & { user_id: string | null; user_email: string | null; user_name: string | null })[] = await m.query(
    `SELECT t.id, t.slug, t.name, t.timezone, t.locale, u.id AS user_id, u.email AS user_email, u.name AS user_name
       FROM tenants t LEFT JOIN users u ON u.id = $2 WHERE t.id = $1`,
    [tenantId, userId],
  );
  if (!row) return undefined;
  return {
    tenant: { id: row.id, slug: row.slug, name: row.name, timezone: row.timezone, locale: row.locale },
    user: row.user_id ? { id: row.user_id, email: row.user_email!, name: row.user_name! } : null,
  };
}

export async function deleteTenant(m: EntityManager, id: string): Promise<void> {
  await m.query(`DELETE FROM tenants WHERE id = $1`, [id]);
}
