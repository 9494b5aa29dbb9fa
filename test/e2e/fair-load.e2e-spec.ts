import { request as httpRequest } from 'node:http';
import { Redis } from 'ioredis';
import { bearer, client, expectProblem, expectStatus, type HttpResult } from '../support/http';
import { startApi, waitFor, type RunningApi } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';

const LIMIT = 8;
const PREFIX = `e2e-${process.env.E2E_RUN_ID}-fair`;

/** A counter's value in the api's Prometheus text (0 when the series does not exist yet). */
async function metric(api: RunningApi, series: string): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/**
 * A POST announcing a body of `declared` bytes of which only the first kilobyte is sent: a server
 * that reads bodies before deciding would wait for the rest. Resolves with the answer (or null if
 * none came within `ms`) and whether the body was still incomplete when it came.
 */
function postWithStalledBody(api: RunningApi, path: string, token: string, declared: number, ms: number): Promise<{ status: number; headers: Record<string, unknown>; body: string } | null> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(api.url);
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(declared) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(null);
    }, ms);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.write(`{"subject":"${'x'.repeat(1000)}`);
  });
}

describe('fair load: a tenant over its budget is refused before anything reads its request', () => {
  let api: RunningApi;
  let redis: Redis;
  let noisy: TenantSession;
  let quiet: TenantSession;
  let victim: TenantSession;

  beforeAll(async () => {
    redis = new Redis(process.env.E2E_REDIS_URL!);
    api = await startApi({ RATE_LIMIT_TENANT_PER_MINUTE: String(LIMIT), RATE_LIMIT_API_KEY_PER_MINUTE: '1000', RATE_LIMIT_SYNC_MS: '50', QUEUE_PREFIX: PREFIX });
    noisy = await createTenant(api.url, 'noisy');
    quiet = await createTenant(api.url, 'quiet');
    victim = await createTenant(api.url, 'victim');
  });
  afterAll(async () => {
    await api?.stop();
    await redis?.quit();
  });

  it('answers 429 with Retry-After and RateLimit headers once a tenant spends its budget, while another tenant goes on', async () => {
    const c = client(api.url);
    let limited: HttpResult | undefined;
    let admitted = 0;
    // createTenant already spent part of the budget; a fixed window behind the bucket can only make it stricter.
    for (let i = 0; i < LIMIT + 3 && !limited; i++) {
      const res = await c.get('/v1/tickets?limit=1', noisy.headers('agent'));
      if (res.status === 429) limited = res;
      else {
        expectStatus(res, 200);
        expect(res.headers.get('ratelimit-limit')).toBe(String(LIMIT));
        admitted++;
      }
    }
    expect(limited).toBeDefined();
    expect(admitted).toBeLessThanOrEqual(LIMIT);
    const body = expectProblem(limited!, 429, 'rate-limited');
    expect(body.detail).toMatch(/for this tenant/);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited!.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited!.headers.get('x-request-id')).toBeTruthy();

    // Another tenant on the same process is not held back.
    const other = await c.get('/v1/tickets?limit=1', quiet.headers('agent'));
    expectStatus(other, 200);
    expect(Number(other.headers.get('ratelimit-remaining'))).toBeGreaterThan(0);
  });

  it('refuses from memory: no database work, no body read, for a budget other processes spent (the shared bucket)', async () => {
    const token = noisy.apiKeys.full;
    const c = client(api.url);
    // This process verifies the key once (and learns its tenant).
    expect([200, 429]).toContain((await c.get('/v1/tickets?limit=1', bearer(token))).status);
    // Other api processes ran the tenant's shared bucket into its deepest debt: a minute of refill.
    const key = `${PREFIX}:rl:bucket:tenant:${noisy.tenant.id}`;
    const [seconds, micros] = await redis.time();
    await redis.hset(key, 'level', String(-LIMIT), 'at', String(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)));
    // Within a sync or two this process has taken the shared level back: nearly a minute to wait.
    await waitFor(
      async () => {
        const res = await c.get('/v1/tickets?limit=1', bearer(token));
        return res.status === 429 && Number(res.headers.get('retry-after')) >= 30;
      },
      'the shared debt to reach the process',
      5_000,
    );

    const workBefore = await metric(api, 'db_tenant_work_total');
    const shedBefore = await metric(api, 'http_requests_shed_total{bucket="tenant"}');
    const lookupsBefore = await fetch(`${api.url}/metrics`).then((r) => r.text()).then((t) => t.split('\n').filter((l) => l.startsWith('cache_lookups_total')).join('\n'));

    for (let i = 0; i < 5; i++) {
      const res = await c.get('/v1/tickets?limit=1', bearer(token));
      expect(expectProblem(res, 429, 'rate-limited').detail).toMatch(/for this tenant/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(30);
    }
    // 50 kB announced, 1 kB sent: the 429 comes while the rest of the body is still missing.
    const stalled = await postWithStalledBody(api, '/v1/tickets', token, 50_000, 5_000);
    expect(stalled).not.toBeNull();
    expect(stalled!.status).toBe(429);
    expect(stalled!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stalled!.headers['retry-after']).toBeTruthy();
    expect(JSON.parse(stalled!.body)).toMatchObject({ status: 429, type: 'https://switchboard.dev/problems/rate-limited', instance: '/v1/tickets' });

    expect(await metric(api, 'db_tenant_work_total')).toBe(workBefore);
    expect(await metric(api, 'http_requests_shed_total{bucket="tenant"}')).toBe(shedBefore + 6);
    // Not even the credential check ran (its cache counts every look-up).
    const lookupsAfter = await fetch(`${api.url}/metrics`).then((r) => r.text()).then((t) => t.split('\n').filter((l) => l.startsWith('cache_lookups_total')).join('\n'));
    expect(lookupsAfter).toBe(lookupsBefore);

    // The same counter moves for a tenant that is admitted: it would have caught database work.
    expectStatus(await c.get('/v1/tickets?limit=1', quiet.headers('viewer')), 200);
    expect(await metric(api, 'db_tenant_work_total')).toBeGreaterThan(workBefore);
  });

  it('never charges a tenant for a forged token that claims it', async () => {
    const c = client(api.url);
    const real = victim.tokens.agent;
    const [header, payload, signature] = real.split('.');
    // The victim's own claims, re-signed by someone without the key; and the same with a flipped signature.
    const forgeries = [`${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`, `${header}.${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`];
    const shedBefore = await metric(api, 'http_requests_shed_total{bucket="tenant"}');
    for (let i = 0; i < LIMIT * 3; i++) {
      const res = await c.get('/v1/tickets?limit=1', bearer(forgeries[i % 2]!));
      expectProblem(res, 401, 'unauthorized');
    }
    expect(await metric(api, 'http_requests_shed_total{bucket="tenant"}')).toBe(shedBefore);
    const res = await c.get('/v1/tickets?limit=1', victim.headers('agent'));
    expectStatus(res, 200);
    expect(Number(res.headers.get('ratelimit-remaining'))).toBeGreaterThan(0);
  });
});

describe('fair load: one tenant cannot hold every database connection', () => {
  let api: RunningApi;
  let busy: TenantSession;
  let other: TenantSession;

  beforeAll(async () => {
    // One unit of database work per tenant at a time, and no waiting for a turn.
    api = await startApi({ DATABASE_TENANT_CONCURRENCY: '1', DATABASE_TENANT_WAIT_MS: '0', QUEUE_PREFIX: `${PREFIX}-slots` });
    busy = await createTenant(api.url, 'busy');
    other = await createTenant(api.url, 'other');
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('refuses work beyond the tenant cap with 429 tenant-busy while another tenant is served', async () => {
    const c = client(api.url);
    let refused: HttpResult | undefined;
    // Requests sent together overlap in the database; a few rounds make sure one found the slot taken.
    for (let round = 0; round < 5 && !refused; round++) {
      const [mine, theirs] = await Promise.all([
        Promise.all(Array.from({ length: 12 }, () => c.get('/v1/tickets?limit=1', busy.headers('agent')))),
        c.get('/v1/tickets?limit=1', other.headers('agent')),
      ]);
      expectStatus(theirs, 200);
      for (const res of mine) {
        if (res.status === 429) refused = res;
        else expectStatus(res, 200);
      }
    }
    expect(refused).toBeDefined();
    expect(expectProblem(refused!, 429, 'tenant-busy').detail).toMatch(/database operations/);
    expect(refused!.headers.get('retry-after')).toBe('1');
    expect(await metric(api, 'db_tenant_work_waits_total{outcome="refused"}')).toBeGreaterThan(0);
  });
});
