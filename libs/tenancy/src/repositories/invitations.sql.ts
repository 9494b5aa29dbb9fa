import type { EntityManager } from 'typeorm';
import type { Role } from '../domain/roles';

export const INVITATION_TTL_DAYS = 7;

export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
}

export const INVITATION_COLUMNS = 'id, email, role, invited_by, expires_at, accepted_at, revoked_at, created_at';

export const toInvitationView = (r: InvitationRow): InvitationView => ({
  id: r.id,
  email: r.email,
  role: r.role,
  invitedBy: r.invited_by,
  status: r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : new Date(r.expires_at).getTime() <= Date.now() ? 'expired' : 'pending',
  expiresAt: new Date(r.expires_at).toISOString(),
  createdAt: new Date(r.created_at).toISOString(),
});

/** An invitation found by its token, with what accepting it needs: the tenant, and the invited email's user if there is one. */
export interface InvitationByToken {
  tenant: { id: string; slug: string; name: string; status: string };
  invitation: InvitationView;
  existingUserId: string | null;
}

/** Across tenants (the token is the only credential); `lock` holds the invitation for the rest of the transaction. */
export async function findInvitationByToken(m: EntityManager, tokenHash: string, lock = false): Promise<InvitationByToken | undefined> {
  const rows: (InvitationRow & { tenant_id: string; slug: string; tenant_name: string; tenant_status: string; user_id: string | null })[] = await m.query(
    `SELECT ${INVITATION_COLUMNS.split(', ').map((c) => `i.${c}`).join(', ')}, i.tenant_id, t.slug, t.name AS tenant_name, t.status AS tenant_status, u.id AS user_id
       FROM invitations i JOIN tenants t ON t.id = i.tenant_id LEFT JOIN users u ON u.email = i.email
      WHERE i.token_hash = $1${lock ? ' FOR UPDATE OF i' : ''}`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    tenant: { id: row.tenant_id, slug: row.slug, name: row.tenant_name, status: row.tenant_status },
    invitation: toInvitationView(row),
    existingUserId: row.user_id,
  };
}

export async function findInvitation(m: EntityManager, tenantId: string, id: string, lock = false): Promise<InvitationView | undefined> {
  const rows: InvitationRow[] = await m.query(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0] ? toInvitationView(rows[0]) : undefined;
}

/** Inviting an address again replaces its pending invitation, so at most one link works. */
export async function revokePendingInvitations(m: EntityManager, tenantId: string, email: string): Promise<void> {
  await m.query(`UPDATE invitations SET revoked_at = now() WHERE tenant_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL`, [tenantId, email]);
}

export interface NewInvitation {
  email: string;
  role: Role;
  tokenHash: string;
  invitedBy: string | null;
  ttlDays: number;
}

export async function insertInvitation(m: EntityManager, tenantId: string, invitation: NewInvitation): Promise<InvitationView> {
  const rows: InvitationRow[] = await m.query(
    `INSERT INTO invitations (tenant_id, email, role, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) RETURNING ${INVITATION_COLUMNS}`,
    [tenantId, invitation.email, invitation.role, invitation.tokenHash, invitation.invitedBy, invitation.ttlDays],
  );
  return toInvitationView(rows[0]);
}

export async function markInvitationAccepted(m: EntityManager, tenantId: string, id: string): Promise<void> {
  await m.query(`UPDATE invitations SET accepted_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}

export async function markInvitationRevoked(m: EntityManager, tenantId: string, id: string): Promise<void> {
  await m.query(`UPDATE invitations SET revoked_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}

export async function listInvitations(m: EntityManager, tenantId: string): Promise<InvitationView[]> {
  const rows: InvitationRow[] = await m.query(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 500`, [tenantId]);
  return rows.map(toInvitationView);
}

/** Members plus pending (unexpired, unrevoked, unaccepted) invitations: the seats a tenant fills. */
export async function countSeats(m: EntityManager, tenantId: string): Promise<number> {
  const rows: { n: number }[] = await m.query(
    `SELECT (SELECT count(*) FROM memberships WHERE tenant_id = $1)::int
          + (SELECT count(*) FROM invitations WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now())::int AS n`,
    [tenantId],
  );
  return rows[0]!.n;
}
