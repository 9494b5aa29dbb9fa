import { randomUUID } from 'node:crypto';
import { adminHeaders, startApi, startRedis, waitFor, type RunningApi } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus } from '../support/http';

type Lookups = { hit: number; miss: number; bypass: number };
type CacheName = 'tenancy.members' | 'tenancy.api_keys';

/**
 * The credential checks' per-process cache (ADR 0013) with two api processes on one database and
 * one (private) Redis: B holds a credential in memory, a change is made on A, and B's very next
 * request with that credential answers as the change says. Metrics show that B really served
 * from memory before the change, and read again after it.
 */
describe('access cache across api processes', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let a: RunningApi;
  let b: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  const on = (api: RunningApi) => client(api.url);
  const admin = adminHeaders();

  const lookups = async (api: RunningApi, cache: CacheName): Promise<Lookups> => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const count = (result: string) => {
      const line = text.split('\n').find((l) => l.startsWith('cache_lookups_total{') && l.includes(`cache="${cache}"`) && l.includes(`result="${result}"`));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    return { hit: count('hit'), miss: count('miss'), bypass: count('bypass') };
  };
  /** What `work` did to B's lookups of `cache`. */
  const onB = async <T>(cache: CacheName, work: () => Promise<T>): Promise<[T, Lookups]> => {
    const before = await lookups(b, cache);
    const result = await work();
    const after = await lookups(b, cache);
    return [result, { hit: after.hit - before.hit, miss: after.miss - before.miss, bypass: after.bypass - before.bypass }];
  };
  const contact = () => ({ name: 'Cache probe', emails: [`probe.${randomUUID()}@example.test`] });
  const keyId = async (t: TenantSession, name: string) =>
    (expectStatus(await on(a).get('/v1/api-keys', t.headers('owner')), 200).data as { id: string; name: string }[]).find((k) => k.name === name)!.id;
  /** Until B's subscriber is connected and subscribed: a second read of a credential is a hit. */
  const untilBCaches = (t: TenantSession) =>
    waitFor(
      async () => {
        const [, d] = await onB('tenancy.members', async () => {
          await on(b).get('/v1/me', t.headers('viewer'));
          await on(b).get('/v1/me', t.headers('viewer'));
        });
        return d.hit > 0;
      },
      'api B to cache credentials',
      30_000,
    );

  beforeAll(async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, AUTH_ACCESS_CACHE_TTL_MS: '3600000' };
    [a, b] = await Promise.all([startApi(env), startApi(env)]);
    [acme, globex] = [await createTenant(a.url, 'acme'), await createTenant(a.url, 'globex')];
    await untilBCaches(acme);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('applies a role change made on A to the next request on B, for that tenant only', async () => {
    const agent = acme.headers('agent');
    expectStatus(await on(b).post('/v1/contacts', contact(), agent), 201);
    expectStatus(await on(b).post('/v1/contacts', contact(), globex.headers('agent')), 201);
    const [, warm] = await onB('tenancy.members', async () => expectStatus(await on(b).post('/v1/contacts', contact(), agent), 201));
    expect(warm).toEqual({ hit: 1, miss: 0, bypass: 0 });

    expect(expectStatus(await on(a).patch(`/v1/members/${acme.users.agent.membershipId}`, { role: 'viewer' }, acme.headers('owner')), 200)).toMatchObject({ role: 'viewer' });
    const [denied, after] = await onB('tenancy.members', async () => expectProblem(await on(b).post('/v1/contacts', contact(), agent), 403, 'forbidden'));
    expect(denied.requiredPermission).toBe('customers:write');
    expect(after).toEqual({ hit: 0, miss: 1, bypass: 0 });
    // Still a viewer who may read, now from memory again.
    expectStatus(await on(b).get('/v1/contacts', agent), 200);

    // The other tenant's entries on B were not touched.
    const [, other] = await onB('tenancy.members', async () => expectStatus(await on(b).post('/v1/contacts', contact(), globex.headers('agent')), 201));
    expect(other).toEqual({ hit: 1, miss: 0, bypass: 0 });
  });

  it('answers 401 on B for a member removed on A', async () => {
    const technician = acme.headers('technician');
    expectStatus(await on(b).get('/v1/me', technician), 200);
    expectStatus(await on(b).get('/v1/me', globex.headers('technician')), 200);
    const [, warm] = await onB('tenancy.members', async () => expectStatus(await on(b).get('/v1/me', technician), 200));
    expect(warm.hit).toBe(1);

    expect((await on(a).delete(`/v1/members/${acme.users.technician.membershipId}`, acme.headers('owner'))).status).toBe(204);
    expectProblem(await on(b).get('/v1/me', technician), 401, 'unauthorized');
    expectProblem(await on(b).get('/v1/me', technician), 401, 'unauthorized');
    expectStatus(await on(b).get('/v1/me', globex.headers('technician')), 200);
  });

  it('answers 401 on B for an API key revoked on A; the tenant’s other keys and other tenants’ keys keep working', async () => {
    const readOnly = bearer(acme.apiKeys.readOnly);
    expectStatus(await on(b).get('/v1/tickets', readOnly), 200);
    expectStatus(await on(b).get('/v1/tickets', bearer(acme.apiKeys.full)), 200);
    expectStatus(await on(b).get('/v1/tickets', bearer(globex.apiKeys.readOnly)), 200);
    const [, warm] = await onB('tenancy.api_keys', async () => expectStatus(await on(b).get('/v1/tickets', readOnly), 200));
    expect(warm).toEqual({ hit: 1, miss: 0, bypass: 0 });

    expect((await on(a).delete(`/v1/api-keys/${await keyId(acme, 'read-only')}`, acme.headers('owner'))).status).toBe(204);
    expectProblem(await on(b).get('/v1/tickets', readOnly), 401, 'unauthorized');
    expectStatus(await on(b).get('/v1/tickets', bearer(acme.apiKeys.full)), 200);
    const [, other] = await onB('tenancy.api_keys', async () => expectStatus(await on(b).get('/v1/tickets', bearer(globex.apiKeys.readOnly)), 200));
    expect(other).toEqual({ hit: 1, miss: 0, bypass: 0 });

    // Use is still recorded (coarsely) for keys served from memory.
    const keys = expectStatus(await on(a).get('/v1/api-keys', acme.headers('owner')), 200).data as { name: string; lastUsedAt: string | null }[];
    expect(keys.find((k) => k.name === 'full')!.lastUsedAt).not.toBeNull();
  });

  it('answers 403 tenant-suspended on B once A suspends the tenant, and lets it back in on reactivation', async () => {
    const agent = globex.headers('agent');
    const key = bearer(globex.apiKeys.full);
    expectStatus(await on(b).get('/v1/me', agent), 200);
    expectStatus(await on(b).get('/v1/tickets', key), 200);
    expectStatus(await on(b).get('/v1/me', acme.headers('owner')), 200);

    expectStatus(await on(a).post(`/v1/admin/tenants/${globex.tenant.id}/suspend`, undefined, admin), 200);
    expectProblem(await on(b).get('/v1/me', agent), 403, 'tenant-suspended');
    expectProblem(await on(b).get('/v1/tickets', key), 403, 'tenant-suspended');
    // Denials are not cached: still refused, read each time.
    const [, denied] = await onB('tenancy.members', async () => expectProblem(await on(b).get('/v1/me', agent), 403, 'tenant-suspended'));
    expect(denied).toEqual({ hit: 0, miss: 1, bypass: 0 });
    expectStatus(await on(b).get('/v1/me', acme.headers('owner')), 200);

    expectStatus(await on(a).post(`/v1/admin/tenants/${globex.tenant.id}/reactivate`, undefined, admin), 200);
    expectStatus(await on(b).get('/v1/me', agent), 200);
    expectStatus(await on(b).get('/v1/tickets', key), 200);
  });

  it('stops a tenant whose deletion was requested on A at its next request on B', async () => {
    const doomed = await createTenant(a.url, 'doomed');
    expectStatus(await on(b).get('/v1/me', doomed.headers('owner')), 200);
    expectStatus(await on(b).get('/v1/tickets', bearer(doomed.apiKeys.full)), 200);
    const [, warm] = await onB('tenancy.members', async () => expectStatus(await on(b).get('/v1/me', doomed.headers('owner')), 200));
    expect(warm.hit).toBe(1);

    expect((await on(a).delete(`/v1/admin/tenants/${doomed.tenant.id}`, admin)).status).toBe(202);
    expectProblem(await on(b).get('/v1/me', doomed.headers('owner')), 403, 'tenant-suspended');
    expectProblem(await on(b).get('/v1/tickets', bearer(doomed.apiKeys.full)), 403, 'tenant-suspended');
    expectStatus(await on(b).get('/v1/me', acme.headers('owner')), 200);
  });

  it('bypasses the cache while Redis is down (a change then still applies at once), and caches again once it is back', async () => {
    const agent = globex.headers('agent');
    const membership = `/v1/members/${globex.users.agent.membershipId}`;
    expectStatus(await on(b).post('/v1/contacts', contact(), agent), 201);
    // Read before and after the outage: /metrics waits for the queues' Redis while it is down.
    const before = await lookups(b, 'tenancy.members');
    const port = redis.port;
    await redis.stop();

    // The change on A cannot be published; B is not subscribed, so it reads the database.
    expectStatus(await on(a).patch(membership, { role: 'viewer' }, globex.headers('owner')), 200);
    expectProblem(await on(b).post('/v1/contacts', contact(), agent), 403, 'forbidden');
    expectStatus(await on(a).patch(membership, { role: 'agent' }, globex.headers('owner')), 200);
    expectStatus(await on(b).post('/v1/contacts', contact(), agent), 201);

    redis = await startRedis(port);
    for (const api of [a, b]) await waitFor(async () => (await fetch(`${api.url}/v1/health/ready`)).status === 200, 'the api to reconnect to Redis', 30_000);
    const after = await lookups(b, 'tenancy.members');
    expect({ hit: after.hit - before.hit, miss: after.miss - before.miss, bypass: after.bypass - before.bypass }).toEqual({ hit: 0, miss: 0, bypass: 2 });
    await untilBCaches(globex);
    // Cached again on B, and changes travel again.
    expectStatus(await on(b).post('/v1/contacts', contact(), agent), 201);
    const [, warm] = await onB('tenancy.members', async () => expectStatus(await on(b).post('/v1/contacts', contact(), agent), 201));
    expect(warm.hit).toBe(1);
    expectStatus(await on(a).patch(membership, { role: 'viewer' }, globex.headers('owner')), 200);
    expectProblem(await on(b).post('/v1/contacts', contact(), agent), 403, 'forbidden');
  });
});
