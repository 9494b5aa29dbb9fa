import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { PasswordHasher } from '../../auth/password-hasher';
import { SessionIssuer, type Session } from '../../auth/session-issuer';
import { sha256 } from '../../domain/secrets';
import { AcceptInvitationCommand } from './accept-invitation.command';
import type { Role } from '../../domain/roles';
import { MemberAdded } from '../../tenancy.context';

const invalid = () =>
  new ProblemException({ status: 410, type: 'invitation-invalid', title: 'Gone', detail: 'This invitation is invalid, expired, revoked or already used.' });

interface OpenInvitation {
  id: string;
  tenant_id: string;
  email: string;
  role: string;
  slug: string;
  tenant_name: string;
  user_id: string | null;
}

const findOpen = async (m: EntityManager, tokenHash: string, lock: boolean): Promise<OpenInvitation | undefined> =>
  (
    (await m.query(
      `SELECT i.id, i.tenant_id, i.email, i.role, t.slug, t.name AS tenant_name, u.id AS user_id
         FROM invitations i JOIN tenants t ON t.id = i.tenant_id LEFT JOIN users u ON u.email = i.email
        WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AND t.status = 'active'
        ${lock ? 'FOR UPDATE OF i' : ''}`,
      [tokenHash],
    )) as OpenInvitation[]
  )[0];

/**
 * Joins the tenant and signs in. A new user sets name and password here; an existing user keeps
 * their password (the token proves the email, not the right to reset it). Single use: the row is
 * locked and marked accepted in the same transaction.
 */
@CommandHandler(AcceptInvitationCommand)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitationCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionIssuer,
  ) {}

  async execute({ token, name, password, client }: AcceptInvitationCommand): Promise<Session> {
    const tokenHash = sha256(token);
    const preview = await this.tx.runAsSystem((m) => findOpen(m, tokenHash, false));
    if (!preview) throw invalid();
    if (!preview.user_id && (!name || !password)) {
      throw new ProblemException({
        status: 400,
        type: 'validation-failed',
        title: 'Bad Request',
        detail: 'A new account needs a name and a password (at least 12 characters).',
        errors: [...(name ? [] : [{ field: 'name', message: 'is required for a new account' }]), ...(password ? [] : [{ field: 'password', message: 'is required for a new account' }])],
      });
    }
    const passwordHash = preview.user_id ? null : await this.passwords.hash(password!);
    const userId = preview.user_id ?? randomUUID();
    const context = { tenantId: preview.tenant_id, actorId: userId, actorType: 'user' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    return this.tx.runPrivileged(context, async (tx) => {
      const m = tx.manager;
      const invitation = await findOpen(m, tokenHash, true);
      if (!invitation || invitation.tenant_id !== preview.tenant_id) throw invalid();
      if (!invitation.user_id) {
        await m.query(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)`, [userId, invitation.email, name, passwordHash]);
      }
      const added: { id: string }[] = await m.query(
        `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, user_id) DO NOTHING RETURNING id`,
        [invitation.tenant_id, userId, invitation.role],
      );
      await m.query(`UPDATE invitations SET accepted_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`, [invitation.tenant_id, invitation.id]);
      const [{ role }]: { role: Role }[] = await m.query(`SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2`, [invitation.tenant_id, userId]);
      await tx.audit({ action: 'invitation.accepted', entityType: 'invitation', entityId: invitation.id, after: { userId } });
      if (added[0]) {
        await tx.audit({ action: 'member.added', entityType: 'membership', entityId: added[0].id, after: { userId, email: invitation.email, role } });
        await tx.emit(MemberAdded.of(added[0].id, { userId, role }));
      }
      return this.sessions.issue(m, { userId, role, tenant: { id: invitation.tenant_id, slug: invitation.slug, name: invitation.tenant_name } });
    });
  }
}
