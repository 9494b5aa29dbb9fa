import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, unauthorized } from '@switchboard/platform';
import { LoginThrottle } from '../../auth/login-throttle';
import { PasswordHasher } from '../../auth/password-hasher';
import { SessionIssuer } from '../../auth/session-issuer';
import { SignInSteps, type SignInResult } from '../../auth/sign-in-steps';
import { normaliseEmail } from '../../domain/email';
import { MembersRepository } from '../../repositories/members.repository';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { UsersRepository } from '../../repositories/users.repository';
import { SsoPolicy } from '../../sso/sso-policy';
import { LoginCommand } from './login.command';

/** The one answer for a wrong password, an unknown email and a suspended tenant. */
const badCredentials = () => unauthorized('The email or password is incorrect.');

@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionIssuer,
    private readonly throttle: LoginThrottle,
    private readonly users: UsersRepository,
    private readonly members: MembersRepository,
    private readonly factors: TwoFactorRepository,
    private readonly steps: SignInSteps,
    private readonly ssoPolicy: SsoPolicy,
  ) {}

  async execute({ email: rawEmail, password, tenantSlug, client }: LoginCommand): Promise<SignInResult> {
    const email = normaliseEmail(rawEmail);
    await this.throttle.assertAllowed(email);
    const user = await this.tx.runAsSystem((m) => this.users.findCredentials(m, email));
    // Always verify (against a decoy when the user is unknown) so timing reveals nothing.
    const ok = await this.passwords.verify(user?.passwordHash ?? null, password);
    if (!user || !ok) {
      await this.throttle.recordFailure(email);
      throw badCredentials();
    }
    const memberships = await this.tx.runAsSystem((m) => this.members.activeTenantsOf(m, user.id));
    const chosen = tenantSlug ? memberships.filter((m) => m.tenant.slug === tenantSlug) : memberships;
    if (chosen.length === 0) {
      await this.throttle.recordFailure(email);
      throw badCredentials();
    }
    if (chosen.length > 1) {
      // The password was right, so the caller may learn which tenants to choose from.
      throw new ProblemException({
        status: 400,
        type: 'tenant-required',
        title: 'Bad Request',
        detail: 'This user belongs to several tenants; send "tenant" with one of their slugs.',
        errors: [{ field: 'tenant', message: 'is required for this user' }],
        extensions: { tenants: chosen.map((m) => ({ slug: m.tenant.slug, name: m.tenant.name })) },
      });
    }
    const { tenant, role } = chosen[0];
    // An SSO-only tenant refuses passwords (but for its break-glass owner) before any second factor is asked.
    await this.ssoPolicy.assertPasswordAllowed(tenant, user.id, client);
    const { enrolled, required } = await this.tx.runAsSystem(async (m) => {
      const summary = await this.factors.summary(m, user.id);
      return { enrolled: [...(summary.totp ? ['totp'] : []), ...(summary.webauthn > 0 ? ['webauthn'] : []), ...(summary.recoveryCodesLeft > 0 ? ['recovery_code'] : [])], required: await this.factors.tenantRequires(m, tenant.id) };
    });
    // A second factor is due: the failure count stays until it is passed, so a known password
    // does not buy fresh guesses at the code.
    if (enrolled.some((f) => f !== 'recovery_code')) return this.steps.challenge('verify', { userId: user.id, email, role, tenant, methods: enrolled });
    if (required) return this.steps.challenge('enrol', { userId: user.id, email, role, tenant, methods: ['totp'] });
    await this.throttle.clear(email);
    const context = {
      tenantId: tenant.id,
      actorId: user.id,
      actorType: 'user' as const,
      correlationId: client.requestId,
      ip: client.ip,
      userAgent: client.userAgent,
    };
    return this.tx.run(context, async (tx) => {
      const session = await this.sessions.issue(tx.manager, { userId: user.id, role, tenant, method: 'password', client });
      await tx.audit({ action: 'auth.login', entityType: 'user', entityId: user.id, after: { method: 'password', sessionId: session.sessionId } });
      return session;
    });
  }
}
