import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { PasswordHasher } from '../../auth/password-hasher';
import { SessionIssuer } from '../../auth/session-issuer';
import { SignInSteps, type SignInResult } from '../../auth/sign-in-steps';
import { sha256 } from '../../domain/secrets';
import { InvitationsRepository } from '../../repositories/invitations.repository';
import type { InvitationByToken } from '../../repositories/invitations.sql';
import { MembersRepository } from '../../repositories/members.repository';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { UsersRepository } from '../../repositories/users.repository';
import { MemberAdded } from '../../tenancy.context';
import { SsoPolicy } from '../../sso/sso-policy';
import { AcceptInvitationCommand } from './accept-invitation.command';
import { assertAcceptablePassword, emailWords } from '../../domain/password-policy';

const invalid = () =>
  new ProblemException({ status: 410, type: 'invitation-invalid', title: 'Gone', detail: 'This invitation is invalid, expired, revoked or already used.' });

/** Only a pending invitation to an active tenant can be accepted; anything else gets the one answer. */
const isOpen = (found: InvitationByToken | undefined): found is InvitationByToken => !!found && found.invitation.status === 'pending' && found.tenant.status === 'active';

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
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly members: MembersRepository,
    private readonly factors: TwoFactorRepository,
    private readonly steps: SignInSteps,
    private readonly ssoPolicy: SsoPolicy,
  ) {}

  async execute({ token, name, password, client }: AcceptInvitationCommand): Promise<SignInResult> {
    const tokenHash = sha256(token);
    const preview = await this.tx.runAsSystem((m) => this.invitations.findByToken(m, tokenHash));
    if (!isOpen(preview)) throw invalid();
    // An SSO-only tenant: the person joins without a password and signs in through the identity provider.
    const ssoStartUrl = await this.ssoPolicy.ssoStartUrl(preview.tenant, preview.existingUserId ?? null);
    if (ssoStartUrl && !preview.existingUserId && !name) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'A new account needs a name.', errors: [{ field: 'name', message: 'is required for a new account' }] });
    }
    if (!ssoStartUrl && !preview.existingUserId && (!name || !password)) {
      throw new ProblemException({
        status: 400,
        type: 'validation-failed',
        title: 'Bad Request',
        detail: 'A new account needs a name and a password (at least 12 characters).',
        errors: [...(name ? [] : [{ field: 'name', message: 'is required for a new account' }]), ...(password ? [] : [{ field: 'password', message: 'is required for a new account' }])],
      });
    }
    if (!ssoStartUrl && !preview.existingUserId) assertAcceptablePassword(password!, 'password', [...emailWords(preview.invitation.email), preview.tenant.slug, preview.tenant.name]);
    // Slow: hashed before the transaction. Never stored for an SSO-only tenant (it would be refused at sign-in).
    const passwordHash = preview.existingUserId || ssoStartUrl ? null : await this.passwords.hash(password!);
    const userId = preview.existingUserId ?? randomUUID();
    const context = { tenantId: preview.tenant.id, actorId: userId, actorType: 'user' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    return this.tx.runPrivileged(context, async (tx) => {
      const found = await this.invitations.findByTokenForUpdate(tx, tokenHash);
      if (!isOpen(found) || found.tenant.id !== preview.tenant.id) throw invalid();
      const { invitation, tenant } = found;
      if (!found.existingUserId) await this.users.insert(tx, userId, { email: invitation.email, name: name!, passwordHash });
      const membershipId = await this.members.addIfAbsent(tx, userId, invitation.role);
      await this.invitations.markAccepted(tx, invitation.id);
      // An existing member keeps the role they have.
      const role = (await this.members.roleOf(tx, userId))!;
      await tx.audit({ action: 'invitation.accepted', entityType: 'invitation', entityId: invitation.id, after: { userId } });
      if (membershipId) {
        await tx.audit({ action: 'member.added', entityType: 'membership', entityId: membershipId, after: { userId, email: invitation.email, role } });
        await tx.emit(MemberAdded.of(membershipId, { userId, role }));
      }
      const t = { id: tenant.id, slug: tenant.slug, name: tenant.name };
      if (ssoStartUrl) return { status: 'sso-required' as const, startUrl: ssoStartUrl, tenant: t };
      // The token proves the email, not a second factor: a user who has one (or a tenant that
      // requires one) continues with the second step, as at sign-in (ADR 0032).
      const summary = await this.factors.summary(tx.manager, userId);
      const enrolled = [...(summary.totp ? ['totp'] : []), ...(summary.webauthn > 0 ? ['webauthn'] : []), ...(summary.recoveryCodesLeft > 0 ? ['recovery_code'] : [])];
      const base = { userId, email: invitation.email, role, tenant: t };
      if (summary.totp || summary.webauthn > 0) return this.steps.challenge('verify', { ...base, methods: enrolled });
      if (await this.factors.tenantRequires(tx.manager, tenant.id)) return this.steps.challenge('enrol', { ...base, methods: ['totp'] });
      return this.sessions.issue(tx.manager, { userId, role, tenant: t, method: 'invitation', client });
    });
  }
}
