import type { EntityManager } from 'typeorm';
import type { Role } from '../domain/roles';

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  locale: string;
  status: 'active' | 'suspended' | 'deleting';
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
  status: 'active' | 'suspended' | 'deleting';
  createdAt: string;
  updatedAt: string;
  version: number;
}

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

export async function findTenant(m: EntityManager, id: string, lock = false): Promise<TenantRow | undefined> {
  const rows: TenantRow[] = await m.query(`SELECT * FROM tenants WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export interface MemberRow {
  id: string;
  tenant_id: string;
  user_id: string;
  role: Role;
  email: string;
  name: string;
  created_at: Date;
  version: number;
}

export async function findMember(m: EntityManager, tenantId: string, membershipId: string, lock = false): Promise<MemberRow | undefined> {
  const rows: MemberRow[] = await m.query(
    `SELECT m.id, m.tenant_id, m.user_id, m.role, m.created_at, m.version, u.email, u.name
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.tenant_id = $1 AND m.id = $2${lock ? ' FOR UPDATE OF m' : ''}`,
    [tenantId, membershipId],
  );
  return rows[0];
}

export async function countOwners(m: EntityManager, tenantId: string): Promise<number> {
  const rows: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM memberships WHERE tenant_id = $1 AND role = 'owner'`, [tenantId]);
  return rows[0].n;
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
