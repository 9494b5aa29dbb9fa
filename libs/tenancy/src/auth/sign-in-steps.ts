import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ProblemException, unauthorized, type CommandContext, type TenantTx } from '@switchboard/platform';
import { MembersRepository } from '../repositories/members.repository';
import { TenantsRepository } from '../repositories/tenants.repository';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';
import { OneTimeStore } from './one-time-store';
import { SessionIssuer, type Session, type SignInClient } from './session-issuer';
import { InvalidTokenError, TokenService, type ChallengeClaims } from './token-service';

/** What a correct password answers when a second factor is due: a challenge, not a session. */
export interface SignInChallenge {
  status: 'two-factor-required' | 'enrolment-required';
  challengeToken: string;
  /** Seconds the challenge stays usable. */
  expiresIn: number;
  /** The factors the user can answer with (two-factor-required) or enrol (enrolment-required). */
  methods: string[];
  tenant: { id: string; slug: string; name: string };
}

/** The tenant signs in through its identity provider only: no session here, continue at `startUrl` (ADR 0033). */
export interface SsoContinuation {
  status: 'sso-required';
  startUrl: string;
  tenant: { id: string; slug: string; name: string };
}

export type SignInResult = Session | SignInChallenge | SsoContinuation;

/**
 * The steps of a sign-in after the password (ADR 0032): hand out a short-lived challenge, open it
 * again at the second step, and finish with a session. Shared by the login, second-factor and
 * enrol-now handlers so each says only what its step checks.
 */
@Injectable()
export class SignInSteps {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionIssuer,
    private readonly members: MembersRepository,
    private readonly tenants: TenantsRepository,
    private readonly once: OneTimeStore,
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
  ) {}

  async challenge(
    purpose: ChallengeClaims['purpose'],
    input: { userId: string; email: string; role: string; tenant: SignInChallenge['tenant']; methods: string[] },
  ): Promise<SignInChallenge> {
    const ttl = this.config.AUTH_TWO_FACTOR_CHALLENGE_TTL_SECONDS;
    const challengeToken = await this.tokens.signChallenge(
      { sub: input.userId, tid: input.tenant.id, role: input.role, email: input.email, purpose, jti: randomUUID() },
      ttl,
    );
    return { status: purpose === 'verify' ? 'two-factor-required' : 'enrolment-required', challengeToken, expiresIn: ttl, methods: input.methods, tenant: input.tenant };
  }

  /** The challenge's claims, or 401; a challenge for the other step is 400. */
  async open(challengeToken: string, purpose: ChallengeClaims['purpose']): Promise<ChallengeClaims> {
    let claims: ChallengeClaims;
    try {
      claims = await this.tokens.verifyChallenge(challengeToken);
    } catch (error) {
      throw unauthorized(error instanceof InvalidTokenError ? error.message : 'The sign-in challenge is not valid.');
    }
    if (claims.purpose !== purpose) {
      throw new ProblemException({
        status: 400,
        type: 'wrong-sign-in-step',
        title: 'Bad Request',
        detail:
          purpose === 'verify'
            ? 'This challenge is for enrolling a second factor (POST /v1/auth/two-factor/totp/setup), not for verifying one.'
            : 'This challenge is for verifying a second factor you already have (POST /v1/auth/two-factor/verify).',
      });
    }
    return claims;
  }

  /** The command context of the sign-in's tenant, acting as the user. */
  context(claims: ChallengeClaims, client: SignInClient & { requestId: string | null }): CommandContext {
    return { tenantId: claims.tid, actorId: claims.sub, actorType: 'user', correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
  }

  /**
   * Marks the challenge spent before its step's transaction (Redis stays outside it): a second
   * use, or one racing this one, is 401. `release` undoes it when the step failed and may be retried.
   */
  async spend(claims: ChallengeClaims): Promise<void> {
    if (!(await this.once.claim('challenge', claims.jti, this.config.AUTH_TWO_FACTOR_CHALLENGE_TTL_SECONDS + 60))) {
      throw unauthorized('This sign-in challenge was already used; sign in with your password again.');
    }
  }

  release(claims: ChallengeClaims): Promise<void> {
    return this.once.release('challenge', claims.jti);
  }

  /**
   * Inside the sign-in's tenant transaction: the membership is read again (it may have ended since
   * the password step), then the session is issued and `auth.login` audited with the method.
   */
  async finish(tx: TenantTx, claims: ChallengeClaims, tenant: SignInChallenge['tenant'] | null, method: string, client: SignInClient): Promise<Session> {
    const role = await this.members.roleOf(tx, claims.sub);
    if (!role) throw unauthorized('This user is no longer a member of the tenant.');
    const t = tenant ?? (await this.tenantOf(tx));
    const session = await this.sessions.issue(tx.manager, { userId: claims.sub, role, tenant: t, method, client });
    await tx.audit({ action: 'auth.login', entityType: 'user', entityId: claims.sub, after: { method, sessionId: session.sessionId } });
    return session;
  }

  private async tenantOf(tx: TenantTx): Promise<SignInChallenge['tenant']> {
    const t = await this.tenants.find(tx);
    if (!t || t.status !== 'active') throw unauthorized('The tenant is not active.');
    return { id: t.id, slug: t.slug, name: t.name };
  }
}
