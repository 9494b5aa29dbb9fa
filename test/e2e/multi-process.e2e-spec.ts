import { randomUUID } from 'node:crypto';
import { startApi, type RunningApi } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';

/** Nothing may depend on being the only api process: limits and idempotency live in Redis. */
describe('two api processes side by side', () => {
  let a: RunningApi;
  let b: RunningApi;
  let acme: TenantSession;

  beforeAll(async () => {
    [a, b] = await Promise.all([startApi({ RATE_LIMIT_TENANT_PER_MINUTE: '40' }), startApi({ RATE_LIMIT_TENANT_PER_MINUTE: '40' })]);
    acme = await createTenant(a.url, 'twin');
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('shares the tenant rate limit: the budget counts requests to both', async () => {
    const statuses: number[] = [];
    // createTenant already spent part of this minute's budget on process A.
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${(i % 2 ? a : b).url}/v1/me`, { headers: acme.headers('agent') });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        break;
      }
      expect(Number(res.headers.get('ratelimit-limit'))).toBe(40);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThan(40);
  });

  it('replays an idempotent request sent to the other process', async () => {
    const other = await createTenant(a.url, 'twin2');
    const key = randomUUID();
    const body = JSON.stringify({ name: 'once', scopes: ['tickets:read'] });
    const first = await fetch(`${a.url}/v1/api-keys`, { method: 'POST', headers: other.headers('owner', { 'idempotency-key': key }), body });
    expect(first.status).toBe(201);
    const second = await fetch(`${b.url}/v1/api-keys`, { method: 'POST', headers: other.headers('owner', { 'idempotency-key': key }), body });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
    const list = await (await fetch(`${b.url}/v1/api-keys`, { headers: other.headers('owner') })).json();
    expect(list.data.filter((k: { name: string }) => k.name === 'once')).toHaveLength(1);
  });

  it('accepts a session issued by one process on the other', async () => {
    // A fresh tenant: the first test spent acme's budget for this minute.
    const other = await createTenant(b.url, 'twin3');
    const me = await fetch(`${a.url}/v1/me`, { headers: other.headers('viewer') });
    expect(me.status).toBe(200);
    expect((await me.json()).tenant.id).toBe(other.tenant.id);
  });
});
