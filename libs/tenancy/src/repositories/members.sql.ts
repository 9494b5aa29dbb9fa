import type { EntityManager } from 'typeorm';
import type { Role } from '../domain/roles';

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

export interface MemberView {
  id: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export const toMemberView = (m: MemberRow): MemberView => ({
  id: m.id,
  userId: m.user_id,
  email: m.email,
  name: m.name,
  role: m.role,
  createdAt: new Date(m.created_at).toISOString(),
});

/** A membership with its user's email and name. */
const MEMBER_SELECT = `SELECT m.id, m.tenant_id, m.user_id, m.role, m.created_at, m.version, u.email, u.name
  FROM memberships m JOIN users u ON u.id = m.user_id`;

export async function findMember(m: EntityManager, tenantId: string, membershipId: string, lock = false): Promise<MemberView | undefined> {
  const rows: MemberRow[] = await m.query(`${MEMBER_SELECT} WHERE m.tenant_id = $1 AND m.id = $2${lock ? ' FOR UPDATE OF m' : ''}`, [tenantId, membershipId]);
  return rows[0] ? toMemberView(rows[0]) : undefined;
}

export async function listMembers(m: EntityManager, tenantId: string): Promise<MemberView[]> {
  const rows: MemberRow[] = await m.query(`${MEMBER_SELECT} WHERE m.tenant_id = $1 ORDER BY u.email`, [tenantId]);
  return rows.map(toMemberView);
}

export async function countOwners(m: EntityManager, tenantId: string): Promise<number> {
  const rows: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM memberships WHERE tenant_id = $1 AND role = 'owner'`, [tenantId]);
  return rows[0].n;
}

export async function memberRole(m: EntityManager, tenantId: string, userId: string): Promise<Role | undefined> {
  const rows: { role: Role }[] = await m.query(`SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
  return rows[0]?.role;
}

export async function isMemberByEmail(m: EntityManager, tenantId: string, email: string): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND u.email = $2`, [tenantId, email]);
  return rows.length > 0;
}

export async function insertMember(m: EntityManager, tenantId: string, membershipId: string, userId: string, role: Role): Promise<void> {
  await m.query(`INSERT INTO memberships (tenant_id, id, user_id, role) VALUES ($1, $2, $3, $4)`, [tenantId, membershipId, userId, role]);
}

/** The new membership's id, or undefined when the user is a member already. */
export async function insertMemberIfAbsent(m: EntityManager, tenantId: string, userId: string, role: Role): Promise<string | undefined> {
  const rows: { id: string }[] = await m.query(
    `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, user_id) DO NOTHING RETURNING id`,
    [tenantId, userId, role],
  );
  return rows[0]?.id;
}

export async function changeMemberRole(m: EntityManager, tenantId: string, membershipId: string, role: Role): Promise<void> {
  await m.query(`UPDATE memberships SET role = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`, [tenantId, membershipId, role]);
}

export async function deleteMember(m: EntityManager, tenantId: string, membershipId: string): Promise<void> {
  await m.query(`DELETE FROM memberships WHERE tenant_id = $1 AND id = $2`, [tenantId, membershipId]);
}

export interface ImpersonationTarget {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantStatus: string;
}

/** A member as impersonation needs them: the user, their role, and whether the tenant is active. */
export async function findImpersonationTarget(m: EntityManager, tenantId: string, userId: string): Promise<ImpersonationTarget | undefined> {
  const rows: { id: string; email: string; name: string; role: Role; status: string }[] = await m.query(
    `SELECT u.id, u.email, u.name, m.role, t.status FROM memberships m
       JOIN users u ON u.id = m.user_id JOIN tenants t ON t.id = m.tenant_id
      WHERE m.tenant_id = $1 AND m.user_id = $2`,
    [tenantId, userId],
  );
  const row = rows[0];
  return row ? { id: row.id, email: row.email, name: row.name, role: row.role, tenantStatus: row.status } : undefined;
}

export interface UserTenant {
  tenant: { id: string; slug: string; name: string };
  role: Role;
}

/** The active tenants a user belongs to (across tenants: platform work), by slug. */
export async function activeTenantsOfUser(m: EntityManager, userId: string): Promise<UserTenant[]> {
  const rows: { tenant_id: string; slug: string; name: string; role: Role }[] = await m.query(
    `SELECT t.id AS tenant_id, t.slug, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
      WHERE m.user_id = $1 AND t.status = 'active' ORDER BY t.slug`,
    [userId],
  );
  return rows.map((r) => ({ tenant: { id: r.tenant_id, slug: r.slug, name: r.name }, role: r.role }));
}

export async function memberUserIds(m: EntityManager, tenantId: string): Promise<string[]> {
  const rows: { user_id: string }[] = await m.query(`SELECT user_id FROM memberships WHERE tenant_id = $1`, [tenantId]);
  return rows.map((r) => r.user_id);
}
