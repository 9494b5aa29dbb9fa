import { decide, sustainedFailure } from './attempt-outcome';
import type { SendResult } from './webhook-sender';

const result = (over: Partial<SendResult>): SendResult => ({ ok: false, status: 500, body: null, durationMs: 5, error: 'answered 500', retryAfterMs: null, refused: false, ...over });
const start = new Date('2026-01-01T00:00:00Z');
const backoff = { baseMs: 1_000, maxMs: 60_000, random: () => 1, now: start.getTime() };

describe('what an attempt means', () => {
  it('a 2xx succeeds, a 410 is gone, a refused destination is not retried', () => {
    expect(decide(result({ ok: true, status: 204, error: null }), 1, start, backoff)).toEqual({ kind: 'succeeded' });
    expect(decide(result({ status: 410 }), 1, start, backoff)).toEqual({ kind: 'gone' });
    expect(decide(result({ status: null, refused: true }), 1, start, backoff)).toEqual({ kind: 'refused' });
  });

  it('anything else retries with backoff, honouring Retry-After, until the window is spent', () => {
    expect(decide(result({}), 1, start, backoff)).toEqual({ kind: 'retry', at: new Date(start.getTime() + 1_000) });
    expect(decide(result({ status: 429, retryAfterMs: 5_000 }), 1, start, backoff)).toEqual({ kind: 'retry', at: new Date(start.getTime() + 5_000) });
    expect(decide(result({ status: 302 }), 3, start, backoff)).toEqual({ kind: 'retry', at: new Date(start.getTime() + 4_000) });
    expect(decide(result({}), 9, start, { ...backoff, now: start.getTime() + 24 * 3_600_000 - 1_000 })).toEqual({ kind: 'exhausted' });
  });

  it('disables an endpoint once its failures have lasted the disable window', () => {
    expect(sustainedFailure(start, 24 * 3_600_000, start.getTime() + 23 * 3_600_000)).toBe(false);
    expect(sustainedFailure(start, 24 * 3_600_000, start.getTime() + 24 * 3_600_000)).toBe(true);
  });
});
