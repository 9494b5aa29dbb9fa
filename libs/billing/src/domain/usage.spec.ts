import { currentPeriod, usageReport } from './usage';

describe('currentPeriod', () => {
  const now = new Date('2026-12-07T12:00:00Z');

  it('is the calendar month without a Stripe period', () => {
    expect(currentPeriod({ currentPeriodStart: null, currentPeriodEnd: null }, now)).toEqual({ start: '2026-12-01', end: '2027-01-01' });
  });

  it('is Stripe’s period while it runs, and the calendar month once it is over', () => {
    expect(currentPeriod({ currentPeriodStart: '2026-11-20T00:00:00Z', currentPeriodEnd: '2026-12-20T00:00:00Z' }, now)).toEqual({ start: '2026-11-20', end: '2026-12-20' });
    expect(currentPeriod({ currentPeriodStart: '2026-10-20T00:00:00Z', currentPeriodEnd: '2026-11-20T00:00:00Z' }, now)).toEqual({ start: '2026-12-01', end: '2027-01-01' });
  });
});

describe('usageReport', () => {
  it('folds daily rows into totals, lines by category and dimension, and a daily series', () => {
    const report = usageReport({ start: '2026-12-01', end: '2027-01-01' }, [
      { day: '2026-12-02', category: 'ai_tokens', dimension: 'gpt-4o-mini', quantity: 100, costMicros: 30 },
      { day: '2026-12-01', category: 'api_requests', dimension: 'tickets', quantity: 5, costMicros: 0 },
      { day: '2026-12-02', category: 'api_requests', dimension: 'tickets', quantity: 7, costMicros: 0 },
      { day: '2026-12-02', category: 'api_requests', dimension: 'customers', quantity: 1, costMicros: 0 },
    ]);
    expect(report.totals).toEqual({ apiRequests: 13, aiTokens: 100, aiCostMicros: 30 });
    expect(report.byCategory).toEqual([
      { category: 'ai_tokens', dimension: 'gpt-4o-mini', quantity: 100, costMicros: 30 },
      { category: 'api_requests', dimension: 'tickets', quantity: 12, costMicros: 0 },
      { category: 'api_requests', dimension: 'customers', quantity: 1, costMicros: 0 },
    ]);
    expect(report.daily).toEqual([
      { day: '2026-12-01', apiRequests: 5, aiTokens: 0, aiCostMicros: 0 },
      { day: '2026-12-02', apiRequests: 8, aiTokens: 100, aiCostMicros: 30 },
    ]);
  });
});
