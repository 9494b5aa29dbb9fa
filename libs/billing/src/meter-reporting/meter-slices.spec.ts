import { differenceOf, firstReportedDay, gaugeReport, meterDeltas, meterIdentifier, slicesOf, unexplainedOf } from './meter-slices';

const A = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
const B = '7a2d2d47-66b5-4a54-8e8d-1e2b2f1c0b22';
const now = new Date('2026-12-07T15:30:00.000Z');

describe('meterIdentifier', () => {
  it('is the same for the same slice and sequence, different for any other, and within Stripe’s 100 characters', () => {
    const id = meterIdentifier(A, 'ai_tokens', 'gpt-4o-mini', '2026-12-07', 1);
    expect(meterIdentifier(A, 'ai_tokens', 'gpt-4o-mini', '2026-12-07', 1)).toBe(id);
    const others = [
      meterIdentifier(B, 'ai_tokens', 'gpt-4o-mini', '2026-12-07', 1),
      meterIdentifier(A, 'api_requests', 'gpt-4o-mini', '2026-12-07', 1),
      meterIdentifier(A, 'ai_tokens', 'gpt-4o', '2026-12-07', 1),
      meterIdentifier(A, 'ai_tokens', 'gpt-4o-mini', '2026-12-06', 1),
      meterIdentifier(A, 'ai_tokens', 'gpt-4o-mini', '2026-12-07', 2),
    ];
    expect(new Set([id, ...others]).size).toBe(6);
    expect(meterIdentifier(A, 'ai_tokens', 'm'.repeat(200), '2026-12-07', 12345).length).toBeLessThanOrEqual(100);
    expect(id).toMatch(/^sbm_20261207_1_[0-9a-f]{40}$/);
  });
});

describe('slicesOf', () => {
  it('sums API requests over endpoint groups and keeps AI tokens per model, per day', () => {
    const slices = slicesOf([
      { day: '2026-12-07', category: 'api_requests', dimension: 'tickets', quantity: 5 },
      { day: '2026-12-07', category: 'api_requests', dimension: 'customers', quantity: 2 },
      { day: '2026-12-06', category: 'api_requests', dimension: 'tickets', quantity: 1 },
      { day: '2026-12-07', category: 'ai_tokens', dimension: 'gpt-4o', quantity: 100 },
      { day: '2026-12-07', category: 'ai_tokens', dimension: 'claude', quantity: 50 },
      { day: '2026-12-07', category: 'storage', dimension: 'x', quantity: 9 },
    ]);
    expect(slices).toEqual(
      expect.arrayContaining([
        { category: 'api_requests', dimension: '', day: '2026-12-07', quantity: 7 },
        { category: 'api_requests', dimension: '', day: '2026-12-06', quantity: 1 },
        { category: 'ai_tokens', dimension: 'gpt-4o', day: '2026-12-07', quantity: 100 },
        { category: 'ai_tokens', dimension: 'claude', day: '2026-12-07', quantity: 50 },
      ]),
    );
    expect(slices).toHaveLength(4);
  });
});

describe('meterDeltas', () => {
  it('reports a new slice whole, then only its growth under the next sequence number, and nothing when it did not grow', () => {
    const first = meterDeltas(A, [{ category: 'api_requests', dimension: '', day: '2026-12-07', quantity: 150 }], [], now);
    expect(first).toEqual([{ category: 'api_requests', dimension: '', day: '2026-12-07', quantity: 150, seq: 1, identifier: meterIdentifier(A, 'api_requests', '', '2026-12-07', 1), eventAt: now.toISOString() }]);

    const reported = [{ category: 'api_requests' as const, dimension: '', day: '2026-12-07', quantity: 150, seq: 1 }];
    const grown = meterDeltas(A, [{ category: 'api_requests', dimension: '', day: '2026-12-07', quantity: 200 }], reported, now);
    expect(grown).toMatchObject([{ quantity: 50, seq: 2, identifier: meterIdentifier(A, 'api_requests', '', '2026-12-07', 2) }]);
    expect(meterDeltas(A, [{ category: 'api_requests', dimension: '', day: '2026-12-07', quantity: 150 }], reported, now)).toEqual([]);
    // Usage never shrinks; if a slice reads lower than reported, nothing negative is sent.
    expect(meterDeltas(A, [{ category: 'api_requests', dimension: '', day: '2026-12-07', quantity: 100 }], reported, now)).toEqual([]);
  });

  it('dates an earlier day’s report at that day’s last second, so Stripe puts it in the right period', () => {
    const [late] = meterDeltas(A, [{ category: 'ai_tokens', dimension: 'gpt-4o', day: '2026-11-30', quantity: 10 }], [], now);
    expect(late!.eventAt).toBe('2026-11-30T23:59:59.000Z');
  });

  it('keeps tenants apart: the same slice of two tenants has two identifiers', () => {
    const usage = [{ category: 'api_requests' as const, dimension: '', day: '2026-12-07', quantity: 1 }];
    expect(meterDeltas(A, usage, [], now)[0]!.identifier).not.toBe(meterDeltas(B, usage, [], now)[0]!.identifier);
  });
});

describe('gaugeReport', () => {
  it('reports the period’s high-water (absolute) when it rises above the last value, under the next sequence number', () => {
    expect(gaugeReport(A, 'seats', '2026-12-01', 0, null, now)).toBeNull();
    expect(gaugeReport(A, 'seats', '2026-12-01', 4, null, now)).toEqual({ category: 'seats', dimension: '', day: '2026-12-01', quantity: 4, seq: 1, identifier: meterIdentifier(A, 'seats', '', '2026-12-01', 1), eventAt: now.toISOString() });
    expect(gaugeReport(A, 'seats', '2026-12-01', 4, { quantity: 4, seq: 1 }, now)).toBeNull();
    expect(gaugeReport(A, 'storage_bytes', '2026-12-01', 9_000, { quantity: 5_000, seq: 3 }, now)).toMatchObject({ quantity: 9_000, seq: 4 });
  });
});

describe('firstReportedDay and reconciliation figures', () => {
  it('starts at the period, but never more than 34 days back', () => {
    expect(firstReportedDay('2026-12-01', now)).toBe('2026-12-01');
    expect(firstReportedDay('2026-09-01', now)).toBe('2026-11-03');
  });

  it('tells usage still on its way (difference) from a disagreement about what was sent (unexplained)', () => {
    expect(differenceOf({ ours: 225, stripe: 200 })).toBe(25);
    expect(unexplainedOf({ reported: 200, stripe: 200 })).toBe(0);
    expect(unexplainedOf({ reported: 225, stripe: 230 })).toBe(-5);
  });
});
