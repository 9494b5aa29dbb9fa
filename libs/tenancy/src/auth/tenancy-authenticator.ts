import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ProblemException, unauthorized, type Authenticator, type Principal } from '@switchboard/platform';
import type { DataSource } from 'typeorm';
import { ROLE_PERMISSIONS, type Role } from '../domain/roles';
import { API_KEY_PREFIX, parseApiKey, safeEqualHex, sha256 } from '../domain/secrets';
import { InvalidTokenError, TokenService } from './token-service';

const suspended = () =>
  new ProblemException({ status: 403, type: 'tenant-suspended', title: 'Forbidden', detail: 'This tenant is suspended; contact support.' });

/**
 * Access tokens and API keys → principal. Membership, role and tenant status are read on every
 * request (one indexed query), so a removed member, a changed role, a revoked key or a
 * suspended tenant takes effect immediately rather than when a token expires.
 */
@Injectable()
export class TenancyAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: TokenService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

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
    const rows: { role: Role; status: string }[] = await this.dataSource.query(
      `SELECT m.role, t.status FROM memberships m JOIN tenants t ON t.id = m.tenant_id
        WHERE m.tenant_id = $1 AND m.user_id = $2`,
      [claims.tid, claims.sub],
    );
    const row = rows[0];
    if (!row) throw unauthorized('This user is no longer a member of the tenant.');
    if (row.status !== 'active') throw suspended();
    return {
      kind: 'user',
      id: claims.sub,
      tenantId: claims.tid,
      role: row.role,
      permissions: ROLE_PERMISSIONS[row.role],
      impersonatorId: claims.imp ?? null,
    };
  }

  private async apiKey(token: string): Promise<Principal> {
    const parsed = parseApiKey(token);
    if (!parsed) throw unauthorized('The API key is malformed.');
    const rows: { id: string; tenant_id: string; secret_hash: string; scopes: string[]; revoked_at: Date | null; status: string; last_used_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT k.id, k.tenant_id, k.secret_hash, k.scopes, k.revoked_at, k.last_used_at, t.status
           FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.prefix = $1`,
        [parsed.prefix],
      );
    const key = rows[0];
    if (!key || !safeEqualHex(key.secret_hash, sha256(parsed.secret)) || key.revoked_at) {
      throw unauthorized('The API key is not valid or has been revoked.');
    }
    if (key.status !== 'active') throw suspended();
    // Coarse on purpose: one write a minute per key, not one per request.
    if (!key.last_used_at || Date.now() - new Date(key.last_used_at).getTime() > 60_000) {
      void this.dataSource
        .query(`UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2`, [key.tenant_id, key.id])
        .catch(() => undefined);
    }
    return { kind: 'api-key', id: key.id, tenantId: key.tenant_id, permissions: key.scopes };
  }
}
