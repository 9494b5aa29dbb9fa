import { decodeCursor } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';

export interface OrganizationRow {
  id: string;
  name: string;
  domains: string[];
  notes: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface OrganizationView {
  id: string;
  name: string;
  domains: string[];
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** What a create or an update writes. */
export type OrganizationProfile = Pick<OrganizationView, 'name' | 'domains' | 'notes'>;

export const ORGANIZATION_COLUMNS = 'id, name, domains, notes, created_at, updated_at, version';

export const toOrganizationView = (o: OrganizationRow): OrganizationView => ({
  id: o.id,
  name: o.name,
  domains: o.domains,
  notes: o.notes,
  createdAt: new Date(o.created_at).toISOString(),
  updatedAt: new Date(o.updated_at).toISOString(),
  version: o.version,
});

export const normaliseDomains = (domains: string[]) => [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))].sort();

export async function findOrganization(m: EntityManager, tenantId: string, id: string, lock = false): Promise<OrganizationView | undefined> {
  const rows: OrganizationRow[] = await m.query(
    `SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  return rows[0] ? toOrganizationView(rows[0]) : undefined;
}

export async function organizationExists(m: EntityManager, tenantId: string, id: string): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM organizations WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`, [tenantId, id]);
  return rows.length > 0;
}

export async function insertOrganization(m: EntityManager, tenantId: string, profile: OrganizationProfile): Promise<OrganizationView> {
  const rows: OrganizationRow[] = await m.query(`INSERT INTO organizations (tenant_id, name, domains, notes) VALUES ($1, $2, $3, $4) RETURNING ${ORGANIZATION_COLUMNS}`, [
    tenantId,
    profile.name,
    profile.domains,
    profile.notes,
  ]);
  return toOrganizationView(rows[0]);
}

export async function updateOrganization(m: EntityManager, tenantId: string, id: string, profile: OrganizationProfile): Promise<OrganizationView> {
  const rows: OrganizationRow[] = await m.query(
    // In a CTE so the driver returns rows (a bare UPDATE comes back as [rows, count]).
    `WITH u AS (UPDATE organizations SET name = $3, domains = $4, notes = $5, updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND id = $2 RETURNING ${ORGANIZATION_COLUMNS}) SELECT * FROM u`,
    [tenantId, id, profile.name, profile.domains, profile.notes],
  );
  return toOrganizationView(rows[0]);
}

/** Soft delete; returns the name it had, or undefined when there was no such organization. */
export async function softDeleteOrganization(m: EntityManager, tenantId: string, id: string): Promise<{ name: string } | undefined> {
  const rows: { name: string }[] = await m.query(
    `WITH d AS (UPDATE organizations SET deleted_at = now(), updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING name) SELECT name FROM d`,
    [tenantId, id],
  );
  return rows[0];
}

/** Newest first, `q` matching the name or a domain; one row more than `limit` tells whether a next page exists. */
export async function listOrganizations(m: EntityManager, tenantId: string, filter: { q?: string; limit: number; cursor?: string }): Promise<OrganizationView[]> {
  const params: unknown[] = [tenantId, filter.limit + 1];
  const where = ['tenant_id = $1', 'deleted_at IS NULL'];
  const q = filter.q?.trim().toLowerCase();
  if (q) {
    const p = params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(lower(name) LIKE $${p} OR EXISTS (SELECT 1 FROM unnest(domains) d WHERE d LIKE $${p}))`);
  }
  if (filter.cursor) {
    const [createdAt, id] = decodeCursor(filter.cursor, 2);
    where.push(`(created_at, id) < ($${params.push(createdAt)}::timestamptz, $${params.push(id)}::uuid)`);
  }
  const rows: OrganizationRow[] = await m.query(
    `SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $2`,
    params,
  );
  return rows.map(toOrganizationView);
}
