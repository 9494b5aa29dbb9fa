import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ProblemException, unauthorized, type Authenticator, type Principal } from '@switchboard/platform';
import type { DataSource } from 'typeorm';
import { ROLE_PERMISSIONS } from '../domain/roles';
import { findApiKeyByPrefix, findMemberAccess, touchApiKeyLastUsed } from '../repositories/credentials.sql';
import { isSessionActive, touchSession } from '../repositories/sessions.sql';
import { API_KEY_PREFIX, parseApiKey, safeEqualHex, sha256 } from '../domain/secrets';
import { AccessCache, type ApiKeyAccess, type MemberAccess } from './access-cache';
import { InvalidTokenError, TokenService } from './token-service';

/** Coarse on purpose: one `last_used_at` write a minute per key and process, not one per request. */
const LAST_USED_EVERY_MS = 60_000;

const suspended = () =>
  new ProblemException({ status: 403, type: 'tenant-suspended', title: 'Forbidden', detail: 'This tenant is suspended; contact support.' });

/**
 * Access tokens and API keys → principal. Membership, role, key and tenant status come from the
 * database or from this process's AccessCache, which every change to them clears on every process
 * after its commit (and which is bypassed while this process cannot hear of changes), so a removed
 * member, a changed role, a revoked key or a suspended tenant takes effect on the next request
 * rather than when a token expires. Only results that grant access are cached.
 */
@Injectable()
export class TenancyAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly cache: AccessCache,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onCredentialsChanged(listener: (tenantId: string) => void): void {
    this.cache.onChanged(listener);
  }

  authenticate(token: string): Promise<Principal> {
    return token.startsWith(API_KEY_PREFIX) ? this.apiKey(token) : this.accessToken(token);
  }

  private async accessToken(token: string): Promise<Principal> {
    let claims;
    try {
      claims = await this.tokens.verify(token);
    } catch (error) {
      throw unauthorized(error instanceof InvalidTokenError ? error.message : 'The access token is not valid.');
    }
    const tenantId = claims.tid;
    const member = await this.cache.members.get(`${tenantId}:${claims.sub}`, async () => {
      const row: MemberAccess | null = (await findMemberAccess(this.dataSource, tenantId, claims.sub)) ?? null;
      return { value: row, cacheUnder: row?.status === 'active' ? tenantId : null };
    });
    if (!member) throw unauthorized('This user is no longer a member of the tenant.');
    if (member.status !== 'active') throw suspended();
    if (claims.sid) await this.assertSessionActive(tenantId, claims.sub, claims.sid);
    return {
      kind: 'user',
      id: claims.sub,
      tenantId,
      role: member.role,
      permissions: ROLE_PERMISSIONS[member.role],
      impersonatorId: claims.imp ?? null,
      sessionId: claims.sid ?? null,
    };
  }

  /** A revoked or expired session's access tokens stop at once (ADR 0032); its use is recorded about once a minute. */
  private async assertSessionActive(tenantId: string, userId: string, sessionId: string): Promise<void> {
    const session = await this.cache.sessions.get(`${tenantId}:${sessionId}`, async () => {
      const active = await isSessionActive(this.dataSource, tenantId, sessionId, userId);
      return { value: active ? { lastUsedAt: Date.now() } : null, cacheUnder: active ? tenantId : null };
    });
    if (!session) throw unauthorized('This sign-in has ended (signed out or revoked); sign in again.');
    const now = Date.now();
    if (now - session.lastUsedAt > LAST_USED_EVERY_MS) {
      session.lastUsedAt = now;
      void touchSession(this.dataSource, tenantId, sessionId).catch(() => undefined);
    }
  }

  private async apiKey(token: string): Promise<Principal> {
    const parsed = parseApiKey(token);
    if (!parsed) throw unauthorized('The API key is malformed.');
    const key = await this.cache.apiKeys.get(parsed.prefix, async () => {
      const row = await findApiKeyByPrefix(this.dataSource, parsed.prefix);
      if (!row) return { value: null, cacheUnder: null };
      const value: ApiKeyAccess = {
        id: row.id,
        tenantId: row.tenant_id,
        secretHash: row.secret_hash,
        scopes: row.scopes,
        revokedAt: row.revoked_at,
        status: row.status,
        lastUsedAt: row.last_used_at ? new Date(row.last_used_at).getTime() : null,
      };
      // The row is kept whichever secret was presented: the check below runs on every request.
      return { value, cacheUnder: !value.revokedAt && value.status === 'active' ? value.tenantId : null };
    });
    if (!key || !safeEqualHex(key.secretHash, sha256(parsed.secret)) || key.revokedAt) {
      throw unauthorized('The API key is not valid or has been revoked.');
    }
    if (key.status !== 'active') throw suspended();
    const now = Date.now();
    if (key.lastUsedAt === null || now - key.lastUsedAt > LAST_USED_EVERY_MS) {
      // Raised before the write, so requests meanwhile (and a cached entry later) do not write again.
      key.lastUsedAt = now;
      void touchApiKeyLastUsed(this.dataSource, key.tenantId, key.id).catch(() => undefined);
    }
    return { kind: 'api-key', id: key.id, tenantId: key.tenantId, permissions: key.scopes };
  }
}
