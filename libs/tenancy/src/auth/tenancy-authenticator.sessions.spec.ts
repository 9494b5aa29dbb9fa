import { InvalidatedCache } from '@switchboard/platform';
import type { DataSource } from 'typeorm';
import type { TenancyConfig } from '../tenancy.context';
import { AccessCache } from './access-cache';
import { TenancyAuthenticator } from './tenancy-authenticator';
import type { AccessClaims, TokenService } from './token-service';

const TENANT = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';

/** A member with one session, behind a database that counts the session look-ups. */
function setup(claims: AccessClaims) {
  const db = { sessionActive: true, sessionReads: 0 };
  const dataSource = {
    async query(sql: string) {
      if (sql.includes('FROM sessions')) {
        db.sessionReads += 1;
        return db.sessionActive ? [{ '?column?': 1 }] : [];
      }
      if (sql.includes('FROM memberships')) return [{ role: 'agent', status: 'active' }];
      return [];
    },
  };
  const caches: InvalidatedCache<unknown>[] = [];
  const listeners: ((key: string) => void)[] = [];
  const bus = {
    cache: (_topic: string, options: ConstructorParameters<typeof InvalidatedCache>[1]) => {
      const cache = new InvalidatedCache({ live: true, start: () => undefined }, options);
      caches.push(cache);
      return cache;
    },
    publish: async (_topic: string, tenantId: string) => {
      caches.forEach((c) => c.invalidate(tenantId));
      listeners.forEach((l) => l(tenantId));
    },
    onInvalidate: (_topic: string, listener: (key: string) => void) => listeners.push(listener),
  };
  const access = new AccessCache(bus as never, { AUTH_ACCESS_CACHE_TTL_MS: 3_600_000 } as TenancyConfig);
  const tokens = { verify: async () => claims } as unknown as TokenService;
  return { db, access, authenticator: new TenancyAuthenticator(tokens, access, dataSource as unknown as DataSource) };
}

describe('TenancyAuthenticator and sessions (ADR 0032)', () => {
  it('an access token of an active session passes, names its session, and is checked once while cached', async () => {
    const { db, authenticator } = setup({ sub: 'u1', tid: TENANT, role: 'agent', sid: 's1' });
    expect(await authenticator.authenticate('token')).toMatchObject({ kind: 'user', id: 'u1', tenantId: TENANT, sessionId: 's1' });
    await authenticator.authenticate('token');
    expect(db.sessionReads).toBe(1);
  });

  it('once the session is revoked and the tenant’s entries dropped, the same token is refused; listeners hear of it', async () => {
    const { db, access, authenticator } = setup({ sub: 'u1', tid: TENANT, role: 'agent', sid: 's1' });
    const heard: string[] = [];
    authenticator.onCredentialsChanged((tenantId) => heard.push(tenantId));
    await authenticator.authenticate('token');
    db.sessionActive = false;
    await access.changed(TENANT);
    await expect(authenticator.authenticate('token')).rejects.toMatchObject({ problem: { status: 401, detail: expect.stringMatching(/sign-in has ended/) } });
    expect(heard).toEqual([TENANT]);
    // A refused session is never cached: it is read again every time.
    await expect(authenticator.authenticate('token')).rejects.toMatchObject({ problem: { status: 401 } });
    expect(db.sessionReads).toBe(3);
  });

  it('a token without a session (issued before sessions, or impersonation) is not checked against one', async () => {
    const { db, authenticator } = setup({ sub: 'u1', tid: TENANT, role: 'agent', imp: 'operator' });
    expect(await authenticator.authenticate('token')).toMatchObject({ sessionId: null, impersonatorId: 'operator' });
    expect(db.sessionReads).toBe(0);
  });
});
