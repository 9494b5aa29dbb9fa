import { jest } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/config.schema';
import { COUNT_BATCH_MS, RateLimitGuard } from './rate-limit';
import { TenantRequestLimits } from './tenant-request-limits';

const TENANT = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';

/** A Redis whose MULTI counts like the real one and answers only when the test releases it (or at once). */
function fakeRedis() {
  const counts = new Map<string, number>();
  const held: (() => void)[] = [];
  const state = { hold: false, down: false, incrs: 0, multis: 0 };
  const redis = {
    multi() {
      const increments: [string, number][] = [];
      const chain = {
        incrby: (key: string, by: number) => (increments.push([key, by]), chain),
        pexpire: () => chain,
        exec: () => {
          if (state.down) return Promise.reject(new Error('Connection is closed.'));
          // Counted when the command reaches Redis, answered later.
          state.multis += 1;
          const results = increments.flatMap(([key, by]) => {
            state.incrs += by;
            counts.set(key, (counts.get(key) ?? 0) + by);
            return [[null, counts.get(key)], [null, 1]];
          });
          if (!state.hold) return Promise.resolve(results);
          return new Promise((resolve) => held.push(() => resolve(results)));
        },
      };
      return chain;
    },
  };
  return { redis: redis as unknown as Redis, state, release: () => held.splice(0).forEach((r) => r()) };
}

function request() {
  const headers: Record<string, string> = {};
  const req = { principal: { kind: 'user', id: 'u1', tenantId: TENANT, permissions: [] }, ip: '203.0.113.9' };
  const res = { setHeader: (name: string, value: string) => (headers[name] = value) };
  const context = {
    getType: () => 'http',
    getHandler: () => function handler() {},
    getClass: () => class Controller {},
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

/** canActivate answers synchronously when it can; as Nest does, treat every answer (and a throw) as a promise. */
const activate = async (guard: RateLimitGuard, context: ExecutionContext) => guard.canActivate(context);

const setup = (limit: number) => {
  const r = fakeRedis();
  const guard = new RateLimitGuard(new Reflector(), r.redis, { QUEUE_PREFIX: 'test', RATE_LIMIT_TENANT_PER_MINUTE: limit } as AppConfig);
  return { guard, ...r };
};

/** Whether the guard answered before Redis did. */
async function answeredWithoutRedis(guard: RateLimitGuard, release: () => void) {
  const { context, headers } = request();
  let answered = false;
  const result = activate(guard, context).then((v) => ((answered = true), v));
  await new Promise((r) => setImmediate(r));
  const early = answered;
  release();
  await result;
  return { early, headers };
}

describe('RateLimitGuard', () => {
  it('waits for the first count of a window, then goes on without waiting while far from the limit — counting every request', async () => {
    const { guard, state, release } = setup(1000);
    state.hold = true;
    expect((await answeredWithoutRedis(guard, release)).early).toBe(false);
    const second = await answeredWithoutRedis(guard, release);
    expect(second.early).toBe(true);
    expect(second.headers['RateLimit-Remaining']).toBe('998');
    // A count nobody waits for leaves with the next batch, at the latest COUNT_BATCH_MS later.
    expect(state.incrs).toBe(1);
    await new Promise((r) => setTimeout(r, COUNT_BATCH_MS + 20));
    expect(state.incrs).toBe(2);
  });

  it('near the limit every request waits for its own count, so the limit is exact', async () => {
    const { guard, state } = setup(12);
    let allowed = 0;
    let limited = 0;
    for (let i = 0; i < 15; i++) {
      await activate(guard, request().context).then(
        () => allowed++,
        (e: { getStatus(): number }) => (expect(e.getStatus()).toBe(429), limited++),
      );
    }
    expect({ allowed, limited }).toEqual({ allowed: 12, limited: 3 });
    expect(state.incrs).toBe(15);
  });

  it('counts requests still being counted, and does not trust an answer older than a second', async () => {
    const { guard, state, release } = setup(1000);
    await activate(guard, request().context);
    state.hold = true;
    // Two in flight and unanswered: the third estimate includes both.
    const a = activate(guard, request().context);
    const b = activate(guard, request().context);
    const { context, headers } = request();
    const c = activate(guard, context);
    await Promise.all([a, b, c]);
    expect(headers['RateLimit-Remaining']).toBe('996');
    release();
    const realNow = performance.now.bind(performance);
    const spy = jest.spyOn(performance, 'now').mockImplementation(() => realNow() + 1_500);
    try {
      expect((await answeredWithoutRedis(guard, release)).early).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  it('sends the counts of one turn of the event loop in one MULTI, each request with a count of its own', async () => {
    const { guard, state } = setup(5);
    const burst = Array.from({ length: 8 }, () => request());
    const outcomes = await Promise.allSettled(burst.map((r) => activate(guard, r.context)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(3);
    expect(burst.map((r) => r.headers['RateLimit-Remaining']).sort()).toEqual(['0', '0', '0', '0', '1', '2', '3', '4']);
    expect({ multis: state.multis, incrs: state.incrs }).toEqual({ multis: 1, incrs: 8 });
  });

  it('sends the counts of requests that did not wait for them together, within COUNT_BATCH_MS', async () => {
    const { guard, state } = setup(1000);
    await activate(guard, request().context); // the window's first count is waited for
    for (let i = 0; i < 5; i++) await activate(guard, request().context);
    expect(state.multis).toBe(1);
    await new Promise((r) => setTimeout(r, COUNT_BATCH_MS + 20));
    expect({ multis: state.multis, incrs: state.incrs }).toEqual({ multis: 2, incrs: 6 });
  });

  it('lets requests through while Redis is down', async () => {
    const { guard, state } = setup(5);
    state.down = true;
    await expect(activate(guard, request().context)).resolves.toBe(true);
  });

  it('counts a tenant against its plan’s limit (loaded once, then known) and names the plan in the 429', async () => {
    const r = fakeRedis();
    const config = { QUEUE_PREFIX: 'test', RATE_LIMIT_TENANT_PER_MINUTE: 3000 } as AppConfig;
    let loads = 0;
    const limits = new TenantRequestLimits(config, { requestLimitTopic: 't', requestLimitOf: async () => (loads++, { perMinute: 3, plan: 'Free' }) });
    const guard = new RateLimitGuard(new Reflector(), r.redis, config, limits);
    const first = request();
    await activate(guard, first.context);
    expect(first.headers['RateLimit-Limit']).toBe('3');
    await activate(guard, request().context);
    await activate(guard, request().context);
    const refused = await activate(guard, request().context).catch((e: { getStatus(): number; problem: { detail: string; extensions: unknown } }) => e);
    expect(typeof refused === 'object' && refused.getStatus()).toBe(429);
    const { problem } = refused as { problem: { detail: string; extensions: unknown } };
    expect(problem.detail).toMatch(/^Rate limit of 3 requests per minute on the Free plan exceeded/);
    expect(problem.extensions).toEqual({ limit: 'api-requests-per-minute', plan: 'Free', allowed: 3 });
    expect(loads).toBe(1);
  });
});
