import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { SessionIssuer, type Session } from '../../auth/session-issuer';
import { sha256 } from '../../domain/secrets';
import { MembersRepository } from '../../repositories/members.repository';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoExchangeCommand } from './sso-exchange.command';

const invalid = () =>
  new ProblemException({
    status: 401,
    type: 'sso-code-invalid',
    title: 'Unauthorized',
    detail: 'This sign-in code is unknown, expired or already used; sign in again.',
    headers: { 'WWW-Authenticate': 'Bearer realm="switchboard"' },
  });

/** Single use: the code is marked used in its own transaction before anything else, so a second exchange fails even if this one does. */
@CommandHandler(SsoExchangeCommand)
export class SsoExchangeHandler implements ICommandHandler<SsoExchangeCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sessions: SessionIssuer,
    private readonly sso: SsoRepository,
    private readonly members: MembersRepository,
  ) {}

  async execute({ code, client }: SsoExchangeCommand): Promise<Session> {
    const used = await this.tx.runAsSystem((m) => this.sso.consumeLoginCode(m, sha256(code)));
    if (!used) throw invalid();
    // The member may have been removed, or the tenant suspended, in the minute since.
    const membership = (await this.tx.runAsSystem((m) => this.members.activeTenantsOf(m, used.userId))).find((t) => t.tenant.id === used.tenantId);
    if (!membership) throw invalid();
    const context = { tenantId: used.tenantId, actorId: used.userId, actorType: 'user' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    return this.tx.run(context, async (tx) => {
      // The identity provider did the authenticating (and any second factor it demands): no local second step.
      const session = await this.sessions.issue(tx.manager, { userId: used.userId, role: membership.role, tenant: membership.tenant, method: 'sso', client });
      await tx.audit({ action: 'auth.login', entityType: 'user', entityId: used.userId, after: { method: 'sso', sessionId: session.sessionId } });
      return session;
    });
  }
}
