import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomToken, sha256 } from '../domain/secrets';
import { RefreshTokensRepository } from '../repositories/refresh-tokens.repository';
import { SessionsRepository } from '../repositories/sessions.repository';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';
import { TokenService } from './token-service';

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** The sign-in this belongs to: listed under GET /v1/me/sessions, revocable there. */
  sessionId: string;
  tenant: { id: string; slug: string; name: string };
}

/** Where a sign-in came from, recorded with its session. */
export interface SignInClient {
  ip: string | null;
  userAgent: string | null;
}

export interface NewSignIn {
  userId: string;
  role: string;
  tenant: Session['tenant'];
  /** How the user proved who they are: `password`, `password+totp`, `password+webauthn`, `sso:oidc`, … */
  method: string;
  client: SignInClient;
}

/**
 * Every sign-in route ends here (password, second factor, SSO): a session row (device, IP,
 * method), a refresh token stored hashed whose family is the session, and an access token that
 * carries the session id (`sid`), so revoking the session stops its access tokens at once.
 * Runs in the caller's transaction, so the session commits with the audit entry.
 */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly sessions: SessionsRepository,
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
  ) {}

  async issue(m: EntityManager, input: NewSignIn): Promise<Session> {
    const sessionId = randomUUID();
    await this.sessions.insert(m, {
      tenantId: input.tenant.id,
      id: sessionId,
      userId: input.userId,
      method: input.method,
      ip: input.client.ip,
      userAgent: input.client.userAgent,
      ttlDays: this.config.AUTH_REFRESH_TOKEN_TTL_DAYS,
    });
    return this.tokensFor(m, { userId: input.userId, role: input.role, tenant: input.tenant, sessionId });
  }

  /** A refresh: new tokens for the same session, whose expiry moves with them. */
  async renew(m: EntityManager, input: { userId: string; role: string; tenant: Session['tenant']; sessionId: string }): Promise<Session> {
    await this.sessions.extend(m, { tenantId: input.tenant.id, id: input.sessionId, userId: input.userId, ttlDays: this.config.AUTH_REFRESH_TOKEN_TTL_DAYS });
    return this.tokensFor(m, input);
  }

  private async tokensFor(m: EntityManager, input: { userId: string; role: string; tenant: Session['tenant']; sessionId: string }): Promise<Session> {
    const refreshToken = randomToken(32);
    await this.refreshTokens.insert(m, {
      tenantId: input.tenant.id,
      userId: input.userId,
      familyId: input.sessionId,
      tokenHash: sha256(refreshToken),
      ttlDays: this.config.AUTH_REFRESH_TOKEN_TTL_DAYS,
    });
    const accessToken = await this.tokens.sign({ sub: input.userId, tid: input.tenant.id, role: input.role, sid: input.sessionId });
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.accessTtlSeconds,
      sessionId: input.sessionId,
      tenant: input.tenant,
    };
  }
}
