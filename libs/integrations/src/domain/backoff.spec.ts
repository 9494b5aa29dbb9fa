import { nextAttemptAt, parseRetryAfter, retryDelayMs } from './backoff';

const opts = { baseMs: 30_000, maxMs: 6 * 3_600_000 };

describe('webhook retry backoff', () => {
  it('doubles each attempt, with the jitter in the upper half of the step', () => {
    expect(retryDelayMs(1, { ...opts, random: () => 0 })).toBe(15_000);
    expect(retryDelayMs(1, { ...opts, random: () => 1 })).toBe(30_000);
    expect(retryDelayMs(2, { ...opts, random: () => 1 })).toBe(60_000);
    expect(retryDelayMs(5, { ...opts, random: () => 0.5 })).toBe(360_000);
  });

  it('caps one wait at maxMs however many attempts', () => {
    expect(retryDelayMs(40, { ...opts, random: () => 1 })).toBe(opts.maxMs);
  });

  it('waits at least what Retry-After asks, but no longer than maxMs', () => {
    expect(retryDelayMs(1, { ...opts, random: () => 0, retryAfterMs: 120_000 })).toBe(120_000);
    expect(retryDelayMs(1, { ...opts, random: () => 0, retryAfterMs: 1_000 })).toBe(15_000);
    expect(retryDelayMs(1, { ...opts, random: () => 0, retryAfterMs: 48 * 3_600_000 })).toBe(opts.maxMs);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('gives up when the next attempt would fall after the 24 h window', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const early = nextAttemptAt(start, 1, { ...opts, random: () => 1, now: start.getTime() });
    expect(early?.toISOString()).toBe('2026-01-01T00:00:30.000Z');
    expect(nextAttemptAt(start, 20, { ...opts, random: () => 1, now: start.getTime() + 23 * 3_600_000 })).toBeNull();
  });
});
