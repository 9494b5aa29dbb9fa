import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '@switchboard/platform';
import { normaliseEmail } from '../domain/email';
import { randomToken, sha256 } from '../domain/secrets';
import { MembersRepository } from '../repositories/members.repository';
import { UsersRepository } from '../repositories/users.repository';
import { MemberAdded } from '../tenancy.context';
import type { SsoClient } from './sso-audit';
import { SsoFailure } from './sso-failure';
import { SsoRepository } from './sso.repository';
import type { SsoConnection } from './sso.sql';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/**
 * The end both protocols share once the IdP's answer is verified: the email must be one of the
 * tenant's domains; the member is found or (just in time) created; a one-time code is issued for
 * the console to exchange. Each step that fails throws an SsoFailure for the caller to audit.
 */
@Injectable()
export class SsoSignIn {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
    private readonly users: UsersRepository,
    private readonly members: MembersRepository,
  ) {}

  /** The email the IdP vouched for, normalised, if it is an address of one of the tenant's domains. */
  emailOf(connection: SsoConnection, raw: unknown): string {
    if (typeof raw !== 'string' || !EMAIL.test(raw.trim())) throw new SsoFailure('email-missing', connection.tenantId);
    const email = normaliseEmail(raw);
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (!connection.domains.includes(domain)) throw new SsoFailure('email-domain-not-allowed', connection.tenantId, `${email} is outside ${connection.domains.join(', ')}`);
    return email;
  }

  async finish(connection: SsoConnection, email: string, client: SsoClient): Promise<{ code: string }> {
    const context = { tenantId: connection.tenantId, actorId: null, actorType: 'system' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    const code = randomToken(32);
    // Users span tenants: finding or creating one is platform work, in a privileged transaction that filters by tenant itself.
    await this.tx.runPrivileged(context, async (tx) => {
      const existing = await this.users.findCredentials(tx.manager, email);
      let userId = existing?.id;
      const role = userId ? await this.members.roleOf(tx, userId) : undefined;
      if (!role) {
        if (!connection.jitProvisioning) throw new SsoFailure('not-a-member', connection.tenantId, `${email} is not a member`);
        userId ??= await this.users.upsert(tx, { email, name: email.slice(0, email.indexOf('@')).slice(0, 200) || email, passwordHash: null });
        const membershipId = await this.members.addIfAbsent(tx, userId, connection.defaultRole);
        if (membershipId) {
          await tx.audit({ action: 'member.added', entityType: 'membership', entityId: membershipId, after: { userId, email, role: connection.defaultRole, provisionedBy: 'sso' } });
          await tx.emit(MemberAdded.of(membershipId, { userId, role: connection.defaultRole }));
        }
      }
      await this.sso.issueLoginCode(tx, sha256(code), userId!);
      await tx.audit({ action: 'auth.sso_login', entityType: 'user', entityId: userId!, after: { email, protocol: connection.protocol, issuer: connection.issuer } });
    });
    return { code };
  }
}
