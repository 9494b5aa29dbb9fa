import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { DataSource } from 'typeorm';
import { findGeneratedJwtKey } from '../repositories/credentials.sql';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';

export interface AccessClaims {
  sub: string;
  tid: string;
  role: string;
  /** Set when a platform operator acts as this user. */
  imp?: string;
  /** The sign-in session (ADR 0032): revoking it stops its access tokens at once. Absent in impersonation tokens. */
  sid?: string;
}

/**
 * What a correct password earns when a second factor is due (ADR 0032): not a session, a
 * short-lived token that only the second-factor routes accept. `purpose` says which step:
 * `verify` (prove an enrolled factor) or `enrol` (the tenant requires a factor the user has none of).
 */
export interface ChallengeClaims {
  sub: string;
  tid: string;
  role: string;
  email: string;
  purpose: 'verify' | 'enrol';
  /** Single use: recorded when it is spent. */
  jti: string;
}

const ISSUER = 'switchboard';
const AUDIENCE = 'switchboard-api';
/** Another audience, so a challenge token is never taken for an access token and the other way round. */
const CHALLENGE_AUDIENCE = 'switchboard-two-factor';

export class InvalidTokenError extends Error {}

/** Verified tokens remembered per process (oldest dropped first). */
const MAX_VERIFIED = 10_000;

/**
 * Short-lived HS256 access tokens. The key is AUTH_JWT_SECRET, or else the one the first
 * migration generated into platform_secrets, so a fresh install needs no configuration and
 * every api process signs and verifies with the same key.
 */
@Injectable()
export class TokenService implements OnModuleInit {
  /** Imported once: handing jose the raw bytes re-imports the key on every request. */
  private key: Awaited<ReturnType<typeof crypto.subtle.importKey>>;
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAt: number }>();

  constructor(
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const secret = this.config.AUTH_JWT_SECRET ?? (await findGeneratedJwtKey(this.dataSource));
    if (!secret) throw new Error('No JWT signing key: run the migrations or set AUTH_JWT_SECRET');
    this.key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  get accessTtlSeconds(): number {
    return this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
  }

  sign(claims: AccessClaims, ttlSeconds = this.accessTtlSeconds): Promise<string> {
    const { sub, ...rest } = claims;
    return new SignJWT({ ...rest })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.key);
  }

  /**
   * Only HS256 with our key, issuer and audience: `alg: none` and foreign tokens are refused.
   * A token that verified is remembered (by its exact string) until it expires, so a client's
   * next requests skip the signature check; what a token grants is still read per request.
   */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > Date.now()) return known.claims;
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.role !== 'string') {
        throw new InvalidTokenError('The access token lacks required claims.');
      }
      const claims: AccessClaims = {
        sub: payload.sub,
        tid: payload.tid,
        role: payload.role,
        imp: typeof payload.imp === 'string' ? payload.imp : undefined,
        sid: typeof payload.sid === 'string' ? payload.sid : undefined,
      };
      if (typeof payload.exp === 'number') {
        this.verified.set(token, { claims, expiresAt: payload.exp * 1000 });
        if (this.verified.size > MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
      }
      return claims;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('The access token has expired; refresh it.');
      throw new InvalidTokenError('The access token is not valid.');
    }
  }

  signChallenge(claims: ChallengeClaims, ttlSeconds: number): Promise<string> {
    const { sub, jti, ...rest } = claims;
    return new SignJWT({ ...rest })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setJti(jti)
      .setIssuer(ISSUER)
      .setAudience(CHALLENGE_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.key);
  }

  async verifyChallenge(token: string): Promise<ChallengeClaims> {
    try {
      const { payload: p } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, audience: CHALLENGE_AUDIENCE });
      if (
        typeof p.sub !== 'string' ||
        typeof p.tid !== 'string' ||
        typeof p.role !== 'string' ||
        typeof p.email !== 'string' ||
        typeof p.jti !== 'string' ||
        (p.purpose !== 'verify' && p.purpose !== 'enrol')
      ) {
        throw new InvalidTokenError('The sign-in challenge lacks required claims.');
      }
      return { sub: p.sub, tid: p.tid, role: p.role, email: p.email, purpose: p.purpose, jti: p.jti };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('The sign-in challenge has expired; sign in with your password again.');
      throw new InvalidTokenError('The sign-in challenge is not valid; sign in with your password again.');
    }
  }
}
