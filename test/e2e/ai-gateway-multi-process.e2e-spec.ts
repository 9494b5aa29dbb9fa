import { Redis } from 'ioredis';
import { Client } from 'pg';
import { startApi, startRedis, waitFor, type RunningApi, QUEUE_PREFIX } from '../support/processes';
import { createTwoTenants, settleAiUsage, type TenantSession } from '../support/tenants';
import { asTenantRole, client, expectProblem, expectStatus, pgErrorCode } from '../support/http';
import { FakeLlmServer } from '../support/fake-llm/fake-llm-server';

/**
 * The gateway's per-process settings cache and shared usage counter with two api processes on one
 * database and one (private) Redis: a change or a call on one process is in force for the next
 * call on the other, and without Redis both fall back to the database.
 */
describe('AI gateway across api processes', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let keys: Redis;
  let a: RunningApi;
  let b: RunningApi;
  let fake: FakeLlmServer;
  let acme: TenantSession;
  let globex: TenantSession;
  let db: Client;
  const on = (api: RunningApi) => client(api.url);
  const ask = (api: RunningApi, t: TenantSession, content = 'What pressure should my boiler have?') => on(api).post('/v1/ai/completions', { messages: [{ role: 'user', content }] }, t.headers('agent'));
  const settle = (tenantId: string) => settleAiUsage([a.url, b.url], [acme, globex], tenantId);
  const ledger = async (tenantId: string) =>
    (await settle(tenantId), await db.query(`SELECT count(*)::int AS calls, COALESCE(SUM(prompt_tokens + completion_tokens), 0)::int AS tokens, COALESCE(SUM(cost_micros), 0)::int AS cost FROM ai_usage WHERE tenant_id = $1`, [tenantId])).rows[0];
  /** B's reads of the AI settings cache served from memory (the cache's metric). */
  const settingsHits = async (api: RunningApi) => {
    const line = (await (await fetch(`${api.url}/metrics`)).text()).split('\n').find((l) => l.startsWith('cache_lookups_total{') && l.includes('cache="ai.settings"') && l.includes('result="hit"'));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const rollup = async (tenantId: string) => (await settle(tenantId), await db.query(`SELECT calls::int, tokens::int, cost_micros::int AS cost FROM ai_usage_months WHERE tenant_id = $1`, [tenantId])).rows;

  beforeAll(async () => {
    redis = await startRedis();
    fake = await new FakeLlmServer().start();
    const env = { REDIS_URL: redis.url, AI_ALLOW_PRIVATE_BASE_URLS: 'true', AI_MAX_ATTEMPTS: '1', AI_SETTINGS_CACHE_TTL_MS: '3600000' };
    [a, b] = await Promise.all([startApi(env), startApi(env)]);
    [acme, globex] = await createTwoTenants(a.url);
    keys = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    keys?.disconnect();
    await db?.end();
    await Promise.all([a?.stop(), b?.stop()]);
    await fake?.stop();
    await redis?.stop();
  });
  beforeEach(() => fake.reset());

  it('applies a settings or provider change made on one process to the next call on the other', async () => {
    // B caches acme's settings (local provider) first.
    expect(expectStatus(await ask(b, acme), 200)).toMatchObject({ provider: 'local' });
    expectStatus(await on(a).put('/v1/ai/providers/oa', { kind: 'openai', apiKey: 'sk-a', baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4o-mini' }, acme.headers('admin')), 201);
    expectStatus(await on(a).put('/v1/ai/settings', { defaultProvider: 'oa' }, acme.headers('admin')), 200);
    expect(expectStatus(await ask(b, acme), 200)).toMatchObject({ provider: 'oa', model: 'gpt-4o-mini' });
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-a');

    // A provider change alone (no settings change) reaches B's cache too: new key, new model.
    expectStatus(await on(a).put('/v1/ai/providers/oa', { kind: 'openai', apiKey: 'sk-b', baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4.1-mini' }, acme.headers('admin')), 200);
    expect(expectStatus(await ask(b, acme), 200)).toMatchObject({ provider: 'oa', model: 'gpt-4.1-mini' });
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-b');

    // The other tenant's cache entry on B is its own.
    expect(expectStatus(await ask(b, globex), 200)).toMatchObject({ provider: 'local' });
  });

  it('holds a hard budget across processes: usage on A stops the next call on B', async () => {
    const used = (await ledger(acme.tenant.id)).tokens as number;
    expect(used).toBeGreaterThan(0);
    // Each call here costs 21 tokens (11 prompt + 10 completion, as the fake reports): two fit.
    expectStatus(await on(a).put('/v1/ai/settings', { budget: { monthlyTokens: used + 42 } }, acme.headers('admin')), 200);
    expectStatus(await ask(b, acme), 200);
    expectStatus(await ask(a, acme), 200);
    const before = fake.count('openai');
    const stopped = expectProblem(await ask(b, acme), 402, 'ai-budget-exceeded');
    expect(stopped).toMatchObject({ budget: 'monthlyTokens', limit: used + 42, used: used + 42 });
    expectProblem(await ask(a, acme), 402, 'ai-budget-exceeded');
    expect(fake.count('openai')).toBe(before);
    // The other tenant has no budget and is not stopped.
    expectStatus(await ask(b, globex), 200);
  });

  it('keeps the monthly rollup equal to the ledger, per tenant, behind row-level security', async () => {
    for (const t of [acme, globex]) {
      const sums = await ledger(t.tenant.id);
      expect(await rollup(t.tenant.id)).toEqual([{ calls: sums.calls, tokens: sums.tokens, cost: sums.cost }]);
      const shown = expectStatus(await on(b).get('/v1/ai/settings', t.headers('admin')), 200);
      expect(shown.monthToDate).toEqual({ tokens: sums.tokens, costMicroUsd: sums.cost });
    }
    // The Redis copy holds the same totals, and a write never lowers a copy that is ahead of it.
    const counter = `${QUEUE_PREFIX}:ai:usage:${acme.tenant.id}:${new Date().toISOString().slice(0, 7)}`;
    const [row] = await rollup(acme.tenant.id);
    expect(await keys.hgetall(counter)).toEqual({ calls: String(row.calls), tokens: String(row.tokens), cost: String(row.cost) });
    await keys.hset(counter, 'calls', row.calls + 100, 'tokens', 999_999);
    expectStatus(await on(a).put('/v1/ai/settings', { budget: {} }, acme.headers('admin')), 200);
    const tokensBefore = (await ledger(acme.tenant.id)).tokens;
    expectStatus(await ask(a, acme), 200);
    const callTokens = (await ledger(acme.tenant.id)).tokens - tokensBefore;
    // Without a budget of its own the tenant's plan still sets one (billing): the call is counted on
    // the copy, which stays ahead of the row, and its commit does not lower it.
    expect(Number(await keys.hget(counter, 'tokens'))).toBe(999_999 + callTokens);
    await keys.del(counter);
    // Back to a spent budget; the stopped call rebuilds the copy from the row.
    expectStatus(await on(a).put('/v1/ai/settings', { budget: { monthlyTokens: row.tokens } }, acme.headers('admin')), 200);
    expectProblem(await ask(b, acme), 402, 'ai-budget-exceeded');
    expect(Number(await keys.hget(counter, 'tokens'))).toBe((await ledger(acme.tenant.id)).tokens);
    await asTenantRole(globex.tenant.id, async (tx) => {
      const seen = (await tx.query(`SELECT tenant_id FROM ai_usage_months`)).rows.map((r) => r.tenant_id);
      expect(seen).toEqual([globex.tenant.id]);
      expect(await pgErrorCode(tx, `INSERT INTO ai_usage_months (tenant_id, month, calls) VALUES ($1, date_trunc('month', now())::date, 1)`, [acme.tenant.id])).toBe('42501');
      expect(await pgErrorCode(tx, `DELETE FROM ai_usage_months`)).toBe('42501');
    });
  });

  it('rebuilds the shared counter from the database when Redis loses it', async () => {
    const lost = await keys.keys(`*:ai:*:${acme.tenant.id}*`);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    await keys.del(...lost);
    expectProblem(await ask(b, acme), 402, 'ai-budget-exceeded');
    expectProblem(await ask(a, acme), 402, 'ai-budget-exceeded');
    expectStatus(await on(b).put('/v1/ai/settings', { budget: {} }, acme.headers('admin')), 200);
    expectStatus(await ask(a, acme), 200);
  });

  it('reads settings and usage from the database while Redis is down, and caches again when it is back', async () => {
    const port = redis.port;
    await redis.stop();
    expectStatus(await on(a).put('/v1/ai/settings', { budget: { monthlyTokens: 1 } }, acme.headers('admin')), 200);
    // B had acme's settings cached without a budget; not subscribed, it reads the database.
    expectProblem(await ask(b, acme), 402, 'ai-budget-exceeded');
    expectStatus(await on(a).put('/v1/ai/settings', { budget: {} }, acme.headers('admin')), 200);
    const rowsBefore = (await ledger(acme.tenant.id)).calls;
    expectStatus(await ask(b, acme), 200);
    expect((await ledger(acme.tenant.id)).calls).toBe(rowsBefore + 1);

    redis = await startRedis(port);
    keys.disconnect();
    keys = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    for (const api of [a, b]) await waitFor(async () => (await fetch(`${api.url}/v1/health/ready`)).status === 200, 'the api to reconnect to Redis', 30_000);
    // Subscribed again, B serves acme's settings from memory again, and a change travels again.
    expect(expectStatus(await ask(b, acme), 200)).toMatchObject({ provider: 'oa' });
    const hitsBefore = await settingsHits(b);
    expect(expectStatus(await ask(b, acme), 200)).toMatchObject({ provider: 'oa' });
    expect(await settingsHits(b)).toBe(hitsBefore + 1);
    expectStatus(await on(a).put('/v1/ai/settings', { defaultProvider: 'local' }, acme.headers('admin')), 200);
    expect(expectStatus(await ask(b, acme), 200)).toMatchObject({ provider: 'local' });
    const sums = await ledger(acme.tenant.id);
    expect(await rollup(acme.tenant.id)).toEqual([{ calls: sums.calls, tokens: sums.tokens, cost: sums.cost }]);
  });
});
