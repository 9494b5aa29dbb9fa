import { jest } from '@jest/globals';
import type { AppConfig } from '@switchboard/platform';
import type { Redis } from 'ioredis';
import { LoginThrottle } from './login-throttle';

/** A Redis that keeps strings in a map. */
function fakeRedis() {
  const store = new Map<string, string>();
  return {
    store,
    get: async (key: string) => store.get(key) ?? null,
    set: async (key: string, value: string) => {
      store.set(key, value);
      return 'OK';
    },
    del: async (key: string) => Number(store.delete(key)),
  };
}

describe('LoginThrottle', () => {
  afterEach(() => jest.useRealTimers());

  const setup = () => {
    const redis = fakeRedis();
    return { redis, throttle: new LoginThrottle(redis as unknown as Redis, { QUEUE_PREFIX: 'test' } as AppConfig) };
  };

  it('allows five failures, then locks for 1 s, 2 s, 4 s … with Retry-After', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z') });
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) {
      await throttle.assertAllowed('ada@example.com');
      await throttle.recordFailure('ada@example.com');
    }
    await expect(throttle.assertAllowed('ada@example.com')).rejects.toMatchObject({ problem: { status: 429, type: 'login-locked', headers: { 'Retry-After': '1' } } });
    jest.setSystemTime(new Date('2026-12-01T10:00:01Z'));
    await throttle.assertAllowed('ada@example.com');
    await throttle.recordFailure('ada@example.com');
    await expect(throttle.assertAllowed('ada@example.com')).rejects.toMatchObject({ problem: { headers: { 'Retry-After': '2' } } });
    // Another account is not affected.
    await throttle.assertAllowed('bo@example.com');
  });

  it('a success clears the count', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 5; i++) await throttle.recordFailure('ada@example.com');
    await throttle.clear('ada@example.com');
    await throttle.assertAllowed('ada@example.com');
  });

  it('keys by a hash of the email, never the email itself', async () => {
    const { redis, throttle } = setup();
    await throttle.recordFailure('ada@example.com');
    const [key] = [...redis.store.keys()];
    expect(key).toMatch(/^test:login-failures:[0-9a-f]{64}$/);
  });
});
