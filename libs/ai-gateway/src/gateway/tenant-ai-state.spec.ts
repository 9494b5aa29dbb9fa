import { localInvalidationBus, type AppConfig, type CommandContext, type TenantTransaction } from '@switchboard/platform';
import type { Redis } from 'ioredis';
import { effectiveBudget, TenantAiState } from './tenant-ai-state';
import type { AiGatewayConfig } from '../ai-gateway.context';

const TENANT = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
const ctx: CommandContext = { tenantId: TENANT, actorId: null, correlationId: null };
const month = new Date().toISOString().slice(0, 7);

/** A Redis that keeps hashes in a map, speaks the commands the state uses, and can be made to fail. */
function fakeRedis() {
  const hashes = new Map<string, Record<string, string>>();
  let down = false;
  const check = () => {
    if (down) throw new Error('Connection is closed.');
  };
  const redis = {
    async hmget(key: string, ...fields: string[]) {
      check();
      return fields.map((f) => hashes.get(key)?.[f] ?? null);
    },
    // Stands in for the raise-to-totals script, which the e2e suite runs on a real Redis.
    async eval(_script: string, _keys: number, key: string, calls: number, tokens: number, cost: number) {
      check();
      hashes.set(key, { calls: String(calls), tokens: String(tokens), cost: String(cost) });
      return 1;
    },
  };
  return { redis: redis as unknown as Redis, hashes, setDown: (d: boolean) => (down = d) };
}

/** The database side: what each batch asked for, answered from a settings row, providers and a rollup row. */
function fakeDatabase() {
  const db = {
    settings: { default_provider: 'local', default_model: null, features: {}, fallback: [], allowed_models: [], budget: {} as Record<string, unknown>, version: 1, updated_at: new Date() },
    rollup: { calls: '3', tokens: '300', cost_micros: '30' } as Record<string, string> | null,
    batches: [] as string[][],
  };
  const tx = {
    async runBatch(_c: CommandContext, statements: { sql: string }[]) {
      db.batches.push(statements.map((s) => /FROM (\w+)/.exec(s.sql)![1]!));
      return statements.map((s) => (s.sql.includes('ai_settings') ? [db.settings] : s.sql.includes('ai_usage_months') ? (db.rollup ? [db.rollup] : []) : []));
    },
  };
  return { db, tx: tx as unknown as TenantTransaction };
}

function setup(ttlMs = 60_000) {
  const r = fakeRedis();
  const d = fakeDatabase();
  const b = localInvalidationBus();
  const make = () => new TenantAiState({ QUEUE_PREFIX: 'test' } as AppConfig, { AI_SETTINGS_CACHE_TTL_MS: ttlMs } as AiGatewayConfig, r.redis, d.tx, b.bus);
  return { state: make(), make, ...r, ...d, ...b };
}

describe('TenantAiState', () => {
  it('reads the database once, then serves calls from memory without Redis when no budget is set', async () => {
    const { state, db, setDown } = setup();
    expect((await state.forCall(ctx)).settings.defaultProvider).toBe('local');
    expect(db.batches).toEqual([['ai_settings', 'ai_provider_credentials', 'ai_usage_months']]);
    setDown(true);
    await state.forCall(ctx);
    await state.forCall(ctx);
    expect(db.batches).toHaveLength(1);
  });

  it('reloads on the next call after a change, including one made by another process', async () => {
    const { state, make, db, published } = setup();
    await state.forCall(ctx);
    db.settings = { ...db.settings, default_provider: 'oa' };
    await make().changed(TENANT);
    expect(published).toEqual([`ai.config:${TENANT}`]);
    expect((await state.forCall(ctx)).settings.defaultProvider).toBe('oa');
    expect(db.batches).toHaveLength(2);
  });

  it('with a budget: month-to-date usage from the Redis copy, rebuilt from the rollup row when it is gone', async () => {
    const { state, db, hashes } = setup();
    db.settings = { ...db.settings, budget: { monthlyTokens: 1000 } };
    // First call: everything from the table, and the copy raised to it.
    expect((await state.forCall(ctx)).used).toEqual({ month, calls: 3, tokens: 300, costMicros: 30 });
    expect(hashes.get(`test:ai:usage:${TENANT}:${month}`)).toEqual({ calls: '3', tokens: '300', cost: '30' });
    hashes.set(`test:ai:usage:${TENANT}:${month}`, { calls: '4', tokens: '321', cost: '31' });
    expect((await state.forCall(ctx)).used).toMatchObject({ calls: 4, tokens: 321 });
    expect(db.batches).toHaveLength(1);
    hashes.clear();
    db.rollup = { calls: '5', tokens: '700', cost_micros: '70' };
    expect((await state.forCall(ctx)).used).toMatchObject({ calls: 5, tokens: 700 });
    expect(db.batches.at(-1)).toEqual(['ai_usage_months']);
  });

  it('reads the database on every call while not subscribed, and does not fail a committed change while Redis is down', async () => {
    const { state, db, setDown, feed } = setup();
    await state.forCall(ctx);
    feed.live = false;
    setDown(true);
    db.settings = { ...db.settings, default_provider: 'oa' };
    await expect(state.usageCommitted(TENANT, { month, calls: 4, tokens: 1, costMicros: 0 })).resolves.toBeUndefined();
    expect((await state.forCall(ctx)).settings.defaultProvider).toBe('oa');
    db.settings = { ...db.settings, budget: { monthlyTokens: 1000 } };
    expect((await state.forCall(ctx)).used).toMatchObject({ calls: 3 });
    expect(db.batches).toHaveLength(3);
  });

  it('with a zero TTL, reads the settings on every call', async () => {
    const { state, db } = setup(0);
    await state.forCall(ctx);
    await state.forCall(ctx);
    expect(db.batches).toHaveLength(2);
  });
});

describe('effectiveBudget', () => {
  const plan = { monthlyTokens: 1000, monthlyCostCents: null, source: 'Team' };

  it('keeps the tenant’s own budget without a default', () => {
    expect(effectiveBudget({ monthlyTokens: 5 }, null)).toEqual({ monthlyTokens: 5 });
  });

  it('takes the default’s limits where the tenant set none, naming where they come from', () => {
    expect(effectiveBudget({}, plan)).toEqual({ monthlyTokens: 1000, monthlyCostCents: null, planLimits: { monthlyTokens: 'Team' } });
  });

  it('lets the tenant set a lower limit, never a higher one', () => {
    expect(effectiveBudget({ monthlyTokens: 10, monthlyCostCents: 50, softLimitPercent: 90 }, plan)).toEqual({ monthlyTokens: 10, monthlyCostCents: 50, softLimitPercent: 90 });
    expect(effectiveBudget({ monthlyTokens: 10_000 }, plan)).toEqual({ monthlyTokens: 1000, monthlyCostCents: null, planLimits: { monthlyTokens: 'Team' } });
  });
});
