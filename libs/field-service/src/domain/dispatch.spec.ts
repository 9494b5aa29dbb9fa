import { assertDispatchRange, dayBounds, dayIn, groupByDayAndTechnician } from './dispatch';

describe('dispatch days', () => {
  it('cuts days in the requested time zone', () => {
    expect(dayIn('2026-12-01T23:30:00Z', 'UTC')).toBe('2026-12-01');
    expect(dayIn('2026-12-01T23:30:00Z', 'Europe/Berlin')).toBe('2026-12-02');
    expect(dayBounds('2026-12-02', 'Europe/Berlin')).toEqual({ from: new Date('2026-12-01T23:00:00Z'), to: new Date('2026-12-02T23:00:00Z') });
    // A day with a daylight-saving change is 23 hours long.
    const spring = dayBounds('2026-03-29', 'Europe/Berlin');
    expect(spring.to.getTime() - spring.from.getTime()).toBe(23 * 3_600_000);
    expect(dayBounds('2026-12-02', 'UTC')).toEqual({ from: new Date('2026-12-02T00:00:00Z'), to: new Date('2026-12-03T00:00:00Z') });
  });

  it('groups visits by day and technician, unassigned first', () => {
    const v = (id: string, technicianId: string | null, scheduledStart: string) => ({ id, technicianId, scheduledStart });
    const days = groupByDayAndTechnician([v('a', 't2', '2026-12-01T08:00:00Z'), v('b', null, '2026-12-01T09:00:00Z'), v('c', 't1', '2026-12-01T10:00:00Z'), v('d', 't2', '2026-12-02T08:00:00Z')], 'UTC');
    expect(days).toEqual([
      {
        date: '2026-12-01',
        technicians: [
          { technicianId: null, visits: [v('b', null, '2026-12-01T09:00:00Z')] },
          { technicianId: 't1', visits: [v('c', 't1', '2026-12-01T10:00:00Z')] },
          { technicianId: 't2', visits: [v('a', 't2', '2026-12-01T08:00:00Z')] },
        ],
      },
      { date: '2026-12-02', technicians: [{ technicianId: 't2', visits: [v('d', 't2', '2026-12-02T08:00:00Z')] }] },
    ]);
  });

  it('refuses an empty or too long span', () => {
    expect(() => assertDispatchRange(new Date('2026-12-02'), new Date('2026-12-01'))).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422 }) }));
    expect(() => assertDispatchRange(new Date('2026-12-01'), new Date('2027-01-05'))).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422 }) }));
    expect(() => assertDispatchRange(new Date('2026-12-01'), new Date('2026-12-31'))).not.toThrow();
  });
});
