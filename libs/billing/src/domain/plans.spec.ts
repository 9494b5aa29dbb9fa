import fc from 'fast-check';
import { lapsedSince } from './lapse';
import { isLimited, statusFromStripe, SUBSCRIPTION_STATUSES } from './plans';

const HOUR = 3_600_000;
const now = Date.parse('2026-12-07T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('isLimited', () => {
  it('never limits an active subscription', () => {
    expect(isLimited({ status: 'active', lapsedAt: ago(1000 * HOUR), trialEndsAt: ago(1000 * HOUR) }, HOUR, now)).toBe(false);
  });

  it('limits a lapsed subscription only once the grace period is over', () => {
    expect(isLimited({ status: 'past_due', lapsedAt: ago(HOUR - 1), trialEndsAt: null }, HOUR, now)).toBe(false);
    expect(isLimited({ status: 'past_due', lapsedAt: ago(HOUR), trialEndsAt: null }, HOUR, now)).toBe(true);
    expect(isLimited({ status: 'canceled', lapsedAt: ago(0), trialEndsAt: null }, 0, now)).toBe(true);
  });

  it('limits an ended trial after the grace period, never an open one', () => {
    expect(isLimited({ status: 'trialing', lapsedAt: null, trialEndsAt: null }, 0, now)).toBe(false);
    expect(isLimited({ status: 'trialing', lapsedAt: null, trialEndsAt: ago(2 * HOUR) }, HOUR, now)).toBe(true);
    expect(isLimited({ status: 'trialing', lapsedAt: null, trialEndsAt: ago(-HOUR) }, 0, now)).toBe(false);
  });

  it('is monotonic in time: once limited, a later instant is limited too', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUBSCRIPTION_STATUSES), fc.integer({ min: 0, max: 100 * HOUR }), fc.integer({ min: 0, max: 100 * HOUR }), fc.integer({ min: 0, max: 100 * HOUR }), (status, since, grace, later) => {
        const sub = { status, lapsedAt: ago(since), trialEndsAt: ago(since) };
        if (isLimited(sub, grace, now)) expect(isLimited(sub, grace, now + later)).toBe(true);
      }),
    );
  });
});

describe('statusFromStripe', () => {
  it('keeps the statuses we share and treats the rest as ended', () => {
    expect(statusFromStripe('past_due')).toBe('past_due');
    expect(statusFromStripe('incomplete_expired')).toBe('canceled');
    expect(statusFromStripe('paused')).toBe('canceled');
  });
});

describe('lapsedSince', () => {
  const at = new Date('2026-12-07T12:00:00Z');

  it('starts the grace period when a subscription falls out of good standing and keeps it while it stays out', () => {
    expect(lapsedSince('past_due', { status: 'active', lapsedAt: null }, at)).toBe(at.toISOString());
    expect(lapsedSince('canceled', { status: 'past_due', lapsedAt: '2026-12-01T00:00:00.000Z' }, at)).toBe('2026-12-01T00:00:00.000Z');
    expect(lapsedSince('past_due', undefined, at)).toBe(at.toISOString());
  });

  it('clears it when the subscription recovers', () => {
    expect(lapsedSince('active', { status: 'past_due', lapsedAt: '2026-12-01T00:00:00.000Z' }, at)).toBeNull();
  });
});
