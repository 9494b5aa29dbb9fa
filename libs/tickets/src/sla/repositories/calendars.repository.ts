import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from '../../repositories/execute';
import { calendarsSql, toCalendarView, type CalendarFields, type CalendarRow, type CalendarView } from './calendars.sql';

/** Business calendars (SQL in `calendars.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class CalendarsRepository {
  async find(tx: TenantTx, id: string, opts: { lock?: boolean; live?: boolean } = {}): Promise<CalendarView | undefined> {
    const [row] = await execute<CalendarRow[]>(tx, calendarsSql.find(tx.tenantId, id, opts.lock));
    if (!row || (opts.live && row.deleted_at)) return undefined;
    return toCalendarView(row);
  }

  async insert(tx: TenantTx, fields: CalendarFields): Promise<CalendarView> {
    const [row] = await execute<CalendarRow[]>(tx, calendarsSql.insert(tx.tenantId, fields));
    return toCalendarView(row);
  }

  async update(tx: TenantTx, id: string, fields: CalendarFields): Promise<CalendarView> {
    await execute(tx, calendarsSql.update(tx.tenantId, id, fields));
    return (await this.find(tx, id))!;
  }

  async softDelete(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, calendarsSql.softDelete(tx.tenantId, id));
  }

  async list(tx: TenantTx): Promise<CalendarView[]> {
    return (await execute<CalendarRow[]>(tx, calendarsSql.list(tx.tenantId))).map(toCalendarView);
  }

  async nameTaken(tx: TenantTx, name: string, exceptId: string | null): Promise<boolean> {
    return (await execute<unknown[]>(tx, calendarsSql.nameTaken(tx.tenantId, name, exceptId))).length > 0;
  }

  async groupsUsing(tx: TenantTx, id: string): Promise<string[]> {
    return (await execute<{ name: string }[]>(tx, calendarsSql.groupsUsing(tx.tenantId, id))).map((r) => r.name);
  }
}
