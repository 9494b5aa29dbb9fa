import { jest } from '@jest/globals';
import { InvalidatedCache } from '@switchboard/platform';
import type { DataSource } from 'typeorm';
import { newApiKey } from '../domain/secrets';
import type { TenancyConfig } from '../tenancy.context';
import { AccessCache } from './access-cache';
import { TenancyAuthenticator } from './tenancy-authenticator';
import type { TokenService } from './token-service';

const TENANT = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
const KEY_ID = '0b8d9c7e-3f0a-4c55-9a59-7f5b8d3c2e10';

interface KeyRow {
  id: string;
  tenant_id: string;
  secret_hash: string;
  scopes: string[];
  revoked_at: Date | null;
  last_used_at: Date | null;
  status: string;
}

/** One api_keys row behind a database that records its statements. */
function setup(row: Partial<KeyRow> = {}) {
  const { key, secretHash } = newApiKey();
  const db = { row: { id: KEY_ID, tenant_id: TENANT, secret_hash: secretHash, scopes: ['tickets:read'], revoked_at: null, last_used_at: null, status: 'active', ...row } as KeyRow, statements: [] as string[] };
  const dataSource = {
    async query(sql: string) {
      db.statements.push(sql.trim().split(/\s+/)[0]!);
      return sql.trim().startsWith('SELECT') ? [db.row] : [];
    },
  };
  // A bus whose subscriber is always connected; publishing drops the entries here.
  const caches: InvalidatedCache<unknown>[] = [];
  const bus = {
    cache: (_topic: string, options: ConstructorParameters<typeof InvalidatedCache>[1]) => {
      const cache = new InvalidatedCache({ live: true, start: () => undefined }, options);
      caches.push(cache);
      return cache;
    },
    publish: async (_topic: string, tenantId: string) => caches.forEach((c) => c.invalidate(tenantId)),
  };
  const access = new AccessCache(bus as never, { AUTH_ACCESS_CACHE_TTL_MS: 3_600_000 } as TenancyConfig);
  const authenticator = new TenancyAuthenticator({} as TokenService, access, dataSource as unknown as DataSource);
  return { key, db, access, authenticator };
}

describe('TenancyAuthenticator with the access cache (API keys)', () => {
  afterEach(() => jest.useRealTimers());

  it('reads a key once, and writes last_used_at at most once a minute from a cached row', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z'), doNotFake: ['performance', 'setImmediate'] });
    const { key, db, authenticator } = setup();
    expect(await authenticator.authenticate(key)).toEqual({ kind: 'api-key', id: KEY_ID, tenantId: TENANT, permissions: ['tickets:read'] });
    expect(db.statements).toEqual(['SELECT', 'UPDATE']);
    jest.setSystemTime(new Date('2026-12-01T10:00:59Z'));
    await authenticator.authenticate(key);
    await authenticator.authenticate(key);
    expect(db.statements).toEqual(['SELECT', 'UPDATE']);
    jest.setSystemTime(new Date('2026-12-01T10:01:01Z'));
    await authenticator.authenticate(key);
    expect(db.statements).toEqual(['SELECT', 'UPDATE', 'UPDATE']);
  });

  it('does not write last_used_at when the row says it was used within the minute', async () => {
    const { key, db, authenticator } = setup({ last_used_at: new Date(Date.now() - 30_000) });
    await authenticator.authenticate(key);
    expect(db.statements).toEqual(['SELECT']);
  });

  it('refuses a wrong secret for a cached key', async () => {
    const { key, authenticator } = setup();
    await authenticator.authenticate(key);
    await expect(authenticator.authenticate(`${key.slice(0, -4)}AAAA`)).rejects.toMatchObject({ status: 401 });
  });

  it('does not cache a revoked key or a suspended tenant, and sees a revocation once it is published', async () => {
    const revoked = setup({ revoked_at: new Date() });
    await expect(revoked.authenticator.authenticate(revoked.key)).rejects.toMatchObject({ status: 401 });
    await expect(revoked.authenticator.authenticate(revoked.key)).rejects.toMatchObject({ status: 401 });
    expect(revoked.db.statements).toEqual(['SELECT', 'SELECT']);

    const suspended = setup({ status: 'suspended' });
    await expect(suspended.authenticator.authenticate(suspended.key)).rejects.toMatchObject({ status: 403 });
    suspended.db.row.status = 'active';
    await suspended.authenticator.authenticate(suspended.key);
    expect(suspended.db.statements.filter((s) => s === 'SELECT')).toHaveLength(2);

    const { key, db, access, authenticator } = setup();
    await authenticator.authenticate(key);
    db.row = { ...db.row, revoked_at: new Date() };
    await authenticator.authenticate(key); // cached: the change was not published
    await access.changed(TENANT);
    await expect(authenticator.authenticate(key)).rejects.toMatchObject({ status: 401 });
  });
});
