import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { WorkingHours } from '../domain/availability';
import { availabilitySql, toUnavailabilityView, toWorkingHoursView, type UnavailabilityRow, type UnavailabilityView, type WorkingHoursRow, type WorkingHoursView } from './availability.sql';
import { execute } from './execute';

/** Technicians' working hours and unavailability (SQL in `availability.sql.ts`). */
@Injectable()
export class AvailabilityRepository {
  async hours(tx: TenantTx, technicianId: string): Promise<WorkingHoursView | undefined> {
    const [row] = await execute<WorkingHoursRow[]>(tx, availabilitySql.hours(tx.tenantId, technicianId));
    return row ? toWorkingHoursView(row) : undefined;
  }

  async hoursOfAll(tx: TenantTx, technicianId?: string): Promise<WorkingHoursView[]> {
    return (await execute<WorkingHoursRow[]>(tx, availabilitySql.hoursOfAll(tx.tenantId, technicianId))).map(toWorkingHoursView);
  }

  async setHours(tx: TenantTx, technicianId: string, hours: WorkingHours, actorId: string | null): Promise<WorkingHoursView> {
    const [row] = await execute<WorkingHoursRow[]>(tx, availabilitySql.setHours(tx.tenantId, technicianId, hours, actorId));
    return toWorkingHoursView(row);
  }

  async addUnavailability(tx: TenantTx, technicianId: string, span: { start: Date; end: Date; reason: string }, actorId: string | null): Promise<UnavailabilityView> {
    const [row] = await execute<UnavailabilityRow[]>(tx, availabilitySql.insertUnavailability(tx.tenantId, technicianId, span, actorId));
    return toUnavailabilityView(row);
  }

  async removeUnavailability(tx: TenantTx, technicianId: string, id: string): Promise<UnavailabilityView | undefined> {
    const [row] = await execute<UnavailabilityRow[]>(tx, availabilitySql.deleteUnavailability(tx.tenantId, technicianId, id));
    return row ? toUnavailabilityView(row) : undefined;
  }

  async unavailabilityBetween(tx: TenantTx, from: Date, to: Date, technicianId?: string): Promise<UnavailabilityView[]> {
    return (await execute<UnavailabilityRow[]>(tx, availabilitySql.unavailabilityBetween(tx.tenantId, from, to, technicianId))).map(toUnavailabilityView);
  }
}
