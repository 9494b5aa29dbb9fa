import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('admits up to its capacity at once, then refuses until a token has refilled at limit / 60 s', () => {
    const bucket = new TokenBucket(3, 60, 0); // one token a second
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.msUntilToken(0)).toBe(1_000);
    expect(bucket.take(999)).toBe(false);
    expect(bucket.take(1_000)).toBe(true);
    expect(bucket.take(1_000)).toBe(false);
  });

  it('never refills past its capacity', () => {
    const bucket = new TokenBucket(2, 60, 0);
    expect(bucket.tokens(3_600_000)).toBe(2);
    expect([bucket.take(3_600_000), bucket.take(3_600_000), bucket.take(3_600_000)]).toEqual([true, true, false]);
  });

  it('reports what it spent since the last reconcile and takes the shared level back, minus what it spent meanwhile', () => {
    const bucket = new TokenBucket(10, 600, 0);
    for (let i = 0; i < 4; i++) bucket.take(0);
    expect(bucket.beginReconcile()).toBe(4);
    bucket.take(1); // spent while the reconcile is on its way
    // Another process spent 5 too: the shared bucket answers 10 - 4 - 5 = 1.
    bucket.reconciled(1, 2);
    expect(bucket.tokens(2)).toBe(0);
    expect(bucket.take(2)).toBe(false);
    expect(bucket.beginReconcile()).toBe(1);
  });

  it('carries debt that other processes ran up, and waits it off', () => {
    const bucket = new TokenBucket(6, 60, 0);
    bucket.beginReconcile();
    bucket.reconciled(-3, 0);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.msUntilToken(0)).toBe(4_000);
    expect(bucket.take(3_999)).toBe(false);
    expect(bucket.take(4_000)).toBe(true);
  });

  it('keeps what it spent for the next attempt when the shared bucket cannot be reached', () => {
    const bucket = new TokenBucket(5, 60, 0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.beginReconcile()).toBe(2);
    bucket.take(0);
    bucket.unreconciled();
    expect(bucket.beginReconcile()).toBe(3);
  });

  it('spends without refusing for a request admitted elsewhere, down to -capacity at most', () => {
    const bucket = new TokenBucket(2, 60, 0);
    for (let i = 0; i < 5; i++) bucket.spend(0);
    expect(bucket.tokens(0)).toBe(-2);
    expect(bucket.msUntilToken(0)).toBe(3_000);
  });

  it('can be forgotten only once idle and full again', () => {
    const bucket = new TokenBucket(2, 60, 0);
    bucket.take(0);
    expect(bucket.isIdle(60_000, 60_000)).toBe(false); // something unsent
    bucket.beginReconcile();
    bucket.reconciled(1, 0);
    expect(bucket.isIdle(500, 60_000)).toBe(false);
    expect(bucket.isIdle(60_000, 60_000)).toBe(true);
  });
});
