import { Injectable } from '@nestjs/common';
import type { TenantTransaction, TenantTx } from '@switchboard/platform';
import { QueryFailedError } from 'typeorm';
import type { VisitStatus } from '../domain/status';
import { availabilitySql, toUnavailabilityView, toWorkingHoursView, type UnavailabilityRow, type UnavailabilityView, type WorkingHoursRow, type WorkingHoursView } from './availability.sql';
import { execute, iso } from './execute';
import { toVisitView, visitsSql, type CancelledVisit, type VisitRow, type VisitSlot, type VisitView } from './visits.sql';

/** Whether an error is the database refusing a technician's overlapping visits. */
export function isDoubleBooking(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string; constraint?: string }).code === '23P01';
}

/** Visits of jobs (SQL in `visits.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class VisitsRepository {
  async find(tx: TenantTx, id: string, lock = false): Promise<VisitView | undefined> {
    const [row] = await execute<VisitRow[]>(tx, visitsSql.find(tx.tenantId, id, lock));
    return row ? toVisitView(row) : undefined;
  }

  async ofJob(tx: TenantTx, jobId: string): Promise<VisitView[]> {
    return (await execute<VisitRow[]>(tx, visitsSql.ofJob(tx.tenantId, jobId))).map(toVisitView);
  }

  async insert(tx: TenantTx, jobId: string, technicianId: string | null, slot: VisitSlot): Promise<VisitView> {
    const [row] = await execute<VisitRow[]>(tx, visitsSql.insert(tx.tenantId, jobId, technicianId, slot));
    return toVisitView(row);
  }

  async reschedule(tx: TenantTx, id: string, slot: VisitSlot): Promise<VisitView> {
    const [row] = await execute<VisitRow[]>(tx, visitsSql.reschedule(tx.tenantId, id, slot));
    return toVisitView(row);
  }

  async assign(tx: TenantTx, id: string, technicianId: string | null): Promise<VisitView> {
    const [row] = await execute<VisitRow[]>(tx, visitsSql.assign(tx.tenantId, id, technicianId));
    return toVisitView(row);
  }

  async setStatus(tx: TenantTx, id: string, status: VisitStatus): Promise<VisitView> {
    const [row] = await execute<VisitRow[]>(tx, visitsSql.setStatus(tx.tenantId, id, status));
    return toVisitView(row);
  }

  /** Cancels the job's visits not started; what each was (its technician and slot), for their events. */
  async cancelScheduled(tx: TenantTx, jobId: string): Promise<CancelledVisit[]> {
    const rows = await execute<{ id: string; technician_id: string | null; scheduled_start: Date; scheduled_end: Date; version: number }[]>(tx, visitsSql.cancelScheduled(tx.tenantId, jobId));
    return rows.map((r) => ({ id: r.id, technicianId: r.technician_id, scheduledStart: iso(r.scheduled_start)!, scheduledEnd: iso(r.scheduled_end)!, version: r.version }));
  }

  /** The id of a visit of this technician that overlaps the slot, other than `exceptId`. */
  async conflicting(tx: TenantTx, technicianId: string, slot: { start: Date; end: Date }, exceptId: string | null): Promise<string | null> {
    const [row] = await execute<{ id: string }[]>(tx, visitsSql.conflicting(tx.tenantId, technicianId, slot.start, slot.end, exceptId));
    return row?.id ?? null;
  }

  /**
   * The same look-up in a read-only batch of its own, after a transaction was rolled back (it
   * claims no Idempotency-Key, so the request's key stays free for a retry).
   */
  async conflictingAfterRollback(transactions: TenantTransaction, tenantId: string, technicianId: string, slot: { start: Date; end: Date }, exceptId: string | null): Promise<string | null> {
    const [rows] = (await transactions.reads(tenantId, [visitsSql.conflicting(tenantId, technicianId, slot.start, slot.end, exceptId)])) as { id: string }[][];
    return rows[0]?.id ?? null;
  }

  /**
   * What a booking of this technician must respect besides other visits: their working hours (none
   * set: bookable any time) and the first unavailability overlapping the slot. Read here, beside
   * the overlap check, so every booking path sees the same rules.
   */
  async availabilityFor(tx: TenantTx, technicianId: string, slot: { start: Date; end: Date }): Promise<{ hours: WorkingHoursView | undefined; block: UnavailabilityView | undefined }> {
    const [hours, blocks] = await Promise.all([
      execute<WorkingHoursRow[]>(tx, availabilitySql.hours(tx.tenantId, technicianId)),
      execute<UnavailabilityRow[]>(tx, availabilitySql.unavailabilityBetween(tx.tenantId, slot.start, slot.end, technicianId)),
    ]);
    return { hours: hours[0] ? toWorkingHoursView(hours[0]) : undefined, block: blocks[0] ? toUnavailabilityView(blocks[0]) : undefined };
  }

  async between(tx: TenantTx, from: Date, to: Date, technicianId?: string): Promise<VisitView[]> {
    return (await execute<VisitRow[]>(tx, visitsSql.between(tx.tenantId, from, to, technicianId))).map(toVisitView);
  }
}
