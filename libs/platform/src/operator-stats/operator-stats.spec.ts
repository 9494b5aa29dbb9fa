import { dailySeries, operatorStatsWindow, tableRowCount, windowDays, type StatsReader } from './operator-stats';

describe('operator statistics helpers', () => {
  const window = operatorStatsWindow(new Date('2026-03-02T15:30:00Z'), 3, 50);

  it('spans whole UTC days, today included, across a month end', () => {
    expect(window.from.toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(windowDays(window)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
  });

  it('fills missing days with zeros and drops days outside the window', () => {
    const series = dailySeries(window, ['tickets', 'messages'], [
      { day: '2026-03-01', tickets: '4', messages: 7 },
      { day: '2026-02-27', tickets: 99 },
      { day: '2026-03-02', messages: 1 },
    ]);
    expect(series).toEqual([
      { day: '2026-02-28', tickets: 0, messages: 0 },
      { day: '2026-03-01', tickets: 4, messages: 7 },
      { day: '2026-03-02', tickets: 0, messages: 1 },
    ]);
  });

  const reader = (estimate: string | null, exact: string) => {
    const seen: string[] = [];
    const db: StatsReader = {
      query: async <R>(sql: string) => {
        seen.push(sql);
        return (sql.includes('reltuples') ? [{ estimate }] : [{ n: exact }]) as R[];
      },
    };
    return { db, seen };
  };

  it('takes the planner estimate for a large table without counting', async () => {
    const { db, seen } = reader('2500000', '0');
    expect(await tableRowCount(db, 'users')).toEqual({ count: 2_500_000, estimated: true });
    expect(seen.some((s) => s.includes('count('))).toBe(false);
  });

  it('counts a small or never-analysed table exactly', async () => {
    expect(await tableRowCount(reader('-1', '12').db, 'users')).toEqual({ count: 12, estimated: false });
    expect(await tableRowCount(reader('40', '41').db, 'users')).toEqual({ count: 41, estimated: false });
  });

  it('refuses a table name that is not a plain identifier', async () => {
    await expect(tableRowCount(reader('-1', '0').db, 'users; drop table x')).rejects.toThrow(/Not a table name/);
  });
});
