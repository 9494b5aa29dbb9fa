import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from './execute';
import { timeSql, toTimeEntryView, toTimerView, totalsOf, type TimeEntryFields, type TimeEntryRow, type TimeEntryView, type TimerView, type TimeGrouping, type TimeTotals } from './time.sql';

type TimerRow = Parameters<typeof toTimerView>[0];

/** Time entries and running timers (SQL in `time.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class TimeRepository {
  async insert(tx: TenantTx, ticketId: string, userId: string, fields: TimeEntryFields): Promise<TimeEntryView> {
    const [row] = await execute<TimeEntryRow[]>(tx, timeSql.insert(tx.tenantId, ticketId, userId, fields));
    return toTimeEntryView(row);
  }

  async find(tx: TenantTx, ticketId: string, id: string, lock = false): Promise<TimeEntryView | undefined> {
    const [row] = await execute<TimeEntryRow[]>(tx, timeSql.find(tx.tenantId, ticketId, id, lock));
    return row ? toTimeEntryView(row) : undefined;
  }

  async update(tx: TenantTx, id: string, fields: TimeEntryFields): Promise<TimeEntryView> {
    const [row] = await execute<TimeEntryRow[]>(tx, timeSql.update(tx.tenantId, id, fields));
    return toTimeEntryView(row);
  }

  async delete(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, timeSql.delete(tx.tenantId, id));
  }

  async page(tx: TenantTx, ticketId: string, page: { limit: number; after?: [string, string] }): Promise<TimeEntryView[]> {
    return (await execute<TimeEntryRow[]>(tx, timeSql.page(tx.tenantId, ticketId, page))).map(toTimeEntryView);
  }

  async ticketTotals(tx: TenantTx, ticketId: string): Promise<TimeTotals> {
    const [row] = await execute<Parameters<typeof totalsOf>[0][]>(tx, timeSql.ticketTotals(tx.tenantId, ticketId));
    return totalsOf(row);
  }

  async totals(tx: TenantTx, range: { from: string; to: string }, groupBy: TimeGrouping, userId?: string): Promise<(TimeTotals & { key: string })[]> {
    const rows = await execute<(Parameters<typeof totalsOf>[0] & { key: string })[]>(tx, timeSql.totals(tx.tenantId, range, groupBy, userId));
    return rows.map((r) => ({ key: r.key, ...totalsOf(r) }));
  }

  async timer(tx: TenantTx, userId: string, lock = false): Promise<TimerView | undefined> {
    const [row] = await execute<TimerRow[]>(tx, timeSql.timer(tx.tenantId, userId, lock));
    return row ? toTimerView(row) : undefined;
  }

  async startTimer(tx: TenantTx, userId: string, ticketId: string, t: { activityType: string; billable: boolean; note: string | null }): Promise<TimerView> {
    const [row] = await execute<TimerRow[]>(tx, timeSql.startTimer(tx.tenantId, userId, ticketId, t));
    return toTimerView(row);
  }

  /** The user's timer, removed, with the whole minutes it ran (at least 1); undefined when none runs. */
  async takeTimer(tx: TenantTx, userId: string): Promise<{ timer: TimerView; elapsedMinutes: number } | undefined> {
    const [row] = await execute<(TimerRow & { elapsed_minutes: number })[]>(tx, timeSql.takeTimer(tx.tenantId, userId));
    return row ? { timer: toTimerView(row), elapsedMinutes: row.elapsed_minutes } : undefined;
  }
}
