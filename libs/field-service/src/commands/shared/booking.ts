import type { CommandContext, TenantTransaction, TenantTx } from '@switchboard/platform';
import { notFound } from '@switchboard/platform';
import { outsideWorkingHours, technicianUnavailable, withinWorkingHours } from '../../domain/availability';
import { doubleBooked } from '../../domain/problems';
import { assertJobOpen } from '../../domain/status';
import type { JobsRepository } from '../../repositories/jobs.repository';
import type { JobView } from '../../repositories/jobs.sql';
import { isDoubleBooking, type VisitsRepository } from '../../repositories/visits.repository';
import type { VisitView } from '../../repositories/visits.sql';

export interface Booking {
  technicianId: string;
  start: Date;
  end: Date;
  /** The visit being moved or reassigned, which does not conflict with itself. */
  exceptId: string | null;
}

/**
 * Refuses a booking inside an unavailability of the technician or outside their working hours
 * (409 naming the rule), or overlapping another of their visits (the common case, seen before writing).
 */
export async function assertFree(tx: TenantTx, visits: VisitsRepository, booking: Booking): Promise<void> {
  const { hours, block } = await visits.availabilityFor(tx, booking.technicianId, booking);
  if (block) throw technicianUnavailable(booking.technicianId, block);
  if (hours && !withinWorkingHours(hours, booking)) throw outsideWorkingHours(booking.technicianId, hours, booking);
  const clash = await visits.conflicting(tx, booking.technicianId, booking, booking.exceptId);
  if (clash) throw doubleBooked(booking.technicianId, clash);
}

/**
 * Runs booking work; when a concurrent booking won the race and the exclusion constraint refused
 * this one, answers 409 naming the visit that holds the slot (read after the rollback).
 */
export async function bookingGuard<T>(
  transactions: TenantTransaction,
  visits: VisitsRepository,
  context: CommandContext,
  booking: () => Booking | null,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isDoubleBooking(error)) throw error;
    const wanted = booking();
    if (!wanted) throw error;
    const clash = await visits.conflictingAfterRollback(transactions, context.tenantId, wanted.technicianId, wanted, wanted.exceptId).catch(() => null);
    throw doubleBooked(wanted.technicianId, clash);
  }
}

/** The visit and its job, the job locked and still open: the start of every change to a visit. */
export async function openVisit(tx: TenantTx, deps: { jobs: JobsRepository; visits: VisitsRepository }, visitId: string): Promise<{ job: JobView; visit: VisitView }> {
  const found = await deps.visits.find(tx, visitId);
  if (!found) throw notFound('Visit', visitId);
  const job = (await deps.jobs.findForUpdate(tx, found.jobId))!;
  const visit = (await deps.visits.find(tx, visitId, true))!;
  assertJobOpen(job.id, job.status);
  return { job, visit };
}

export const times = (v: { scheduledStart: string; scheduledEnd: string }) => ({ scheduledStart: v.scheduledStart, scheduledEnd: v.scheduledEnd });
