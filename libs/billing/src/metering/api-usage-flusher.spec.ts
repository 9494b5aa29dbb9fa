import { jest } from '@jest/globals';
import type { AppConfig, TenantTransaction } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { Redis } from 'ioredis';
import type { BillingRepository } from '../repositories/billing.repository';
import { ApiUsageCounter, apiUsageKeys, endpointGroup, minuteOf } from './api-usage-counter';
import { ApiUsageFlusher } from './api-usage-flusher';

const A = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
const B = '7a2d2d47-66b5-4a54-8e8d-1e2b2f1c0b22';
const config = { QUEUE_PREFIX: 'test' } as AppConfig;
const keys = apiUsageKeys('test');

/** The Redis commands the counter and the flusher use, over maps. */
function fakeRedis() {
  const hashes = new Map<string, Map<string, number>>();
  const sets = new Map<string, Set<string>>();
  const ops: (() => void)[] = [];
  const chain = {
    hincrby(key: string, field: string, n: number) {
      ops.push(() => {
        const h = hashes.get(key) ?? new Map<string, number>();
        h.set(field, (h.get(field) ?? 0) + n);
        hashes.set(key, h);
      });
      return chain;
    },
    expire() {
      return chain;
    },
    sadd(key: string, member: string) {
      ops.push(() => sets.set(key, (sets.get(key) ?? new Set()).add(member)));
      return chain;
    },
    del(key: string) {
      ops.push(() => hashes.delete(key));
      return chain;
    },
    srem(key: string, member: string) {
      ops.push(() => sets.get(key)?.delete(member));
      return chain;
    },
    async exec() {
      ops.splice(0).forEach((op) => op());
      return [];
    },
  };
  const redis = {
    pipeline: () => chain,
    multi: () => chain,
    async smembers(key: string) {
      return [...(sets.get(key) ?? [])];
    },
    async hgetall(key: string) {
      return Object.fromEntries([...(hashes.get(key) ?? new Map())].map(([f, n]) => [f, String(n)]));
    },
  };
  return { redis: redis as unknown as Redis, hashes, sets };
}

function setup() {
  const { redis, hashes, sets } = fakeRedis();
  const claimed = new Set<string>();
  const usage: { tenantId: string; day: string; group: string; n: number }[] = [];
  const repository = {
    claimApiMinute: jest.fn(async (tx: { tenantId: string }, minute: string) => {
      const key = `${tx.tenantId}@${minute}`;
      if (claimed.has(key)) return false;
      claimed.add(key);
      return true;
    }),
    addUsage: jest.fn(async (tx: { tenantId: string }, day: string, _category: string, group: string, n: number) => {
      usage.push({ tenantId: tx.tenantId, day, group, n });
    }),
  };
  const tx = new FakeTenantTransaction();
  const transaction = Object.assign(tx.asTenantTransaction(), { runAsSystem: async () => undefined }) as unknown as TenantTransaction;
  const counter = new ApiUsageCounter(config, redis);
  const flusher = new ApiUsageFlusher(config, redis, transaction, repository as unknown as BillingRepository);
  return { counter, flusher, usage, hashes, sets, repository };
}

describe('endpointGroup', () => {
  it('is the first path segment after the version, or "other"', () => {
    expect(endpointGroup('/v1/tickets/123/messages')).toBe('tickets');
    expect(endpointGroup('/v1/ai?x=1')).toBe('ai');
    expect(endpointGroup('/health')).toBe('other');
    expect(endpointGroup(`/v1/${'x'.repeat(60)}`)).toBe('other');
  });
});

describe('API usage: counted in memory, pushed to Redis per minute, folded into daily usage', () => {
  const t0 = Date.parse('2026-12-07T10:00:30Z');

  it('pushes one increment per tenant, group and minute, and folds only settled minutes, each once per tenant', async () => {
    const { counter, flusher, usage, hashes, sets } = setup();
    for (let i = 0; i < 5; i++) counter.count(A, 'tickets', t0);
    counter.count(A, 'customers', t0);
    counter.count(B, 'tickets', t0);
    counter.count(A, 'tickets', t0 + 60_000);
    await counter.push();
    expect(hashes.get(keys.minute(minuteOf(t0)))).toEqual(new Map([[`${A}|tickets`, 5], [`${A}|customers`, 1], [`${B}|tickets`, 1]]));

    // Two minutes later only the first minute has settled.
    expect(await flusher.flush(t0 + 2 * 60_000)).toBe(7);
    expect(usage).toEqual(
      expect.arrayContaining([
        { tenantId: A, day: '2026-12-07', group: 'tickets', n: 5 },
        { tenantId: A, day: '2026-12-07', group: 'customers', n: 1 },
        { tenantId: B, day: '2026-12-07', group: 'tickets', n: 1 },
      ]),
    );
    expect(hashes.has(keys.minute(minuteOf(t0)))).toBe(false);
    expect([...sets.get(keys.minutes)!]).toEqual([minuteOf(t0 + 60_000)]);
    expect(await flusher.flush(t0 + 3 * 60_000)).toBe(1);
  });

  it('never counts a minute twice when a flush is repeated before Redis was cleared', async () => {
    const { counter, flusher, usage, repository } = setup();
    counter.count(A, 'tickets', t0);
    await counter.push();
    // A flush that committed its sums but died before clearing Redis: the next one finds the claim.
    await repository.claimApiMinute({ tenantId: A } as never, new Date(minuteOf(t0)).toISOString());
    expect(await flusher.flush(t0 + 5 * 60_000)).toBe(0);
    expect(usage).toEqual([]);
  });
});
