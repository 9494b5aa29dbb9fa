import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { assertVisitPlannable } from '../../domain/status';
import { visitTiming, type VisitTiming } from '../../domain/visit-timing';
import { VisitRescheduled } from '../../field-service.context';
import { JobsRepository } from '../../repositories/jobs.repository';
import { VisitsRepository } from '../../repositories/visits.repository';
import type { VisitView } from '../../repositories/visits.sql';
import { assertFree, bookingGuard, openVisit, times, type Booking } from '../shared/booking';
import { RescheduleVisitCommand } from './reschedule-visit.command';

/** Moves a visit that has not started; its technician must be free at the new time. */
@CommandHandler(RescheduleVisitCommand)
export class RescheduleVisitHandler implements ICommandHandler<RescheduleVisitCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
  ) {}

  execute({ context, visitId, input, now }: RescheduleVisitCommand): Promise<VisitView> {
    let booking: Booking | null = null;
    return bookingGuard(this.tx, this.visits, context, () => booking, () =>
      this.tx.run(context, async (tx) => {
        const { job, visit: before } = await openVisit(tx, { jobs: this.jobs, visits: this.visits }, visitId);
        assertVisitPlannable(visitId, before.status);
        const timing: VisitTiming = visitTiming({ durationMinutes: before.durationMinutes, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)), scheduledStart: input.scheduledStart }, now);
        if (before.technicianId) {
          booking = { technicianId: before.technicianId, start: timing.start, end: timing.end, exceptId: visitId };
          await assertFree(tx, this.visits, booking);
        }
        const after = await this.visits.reschedule(tx, visitId, timing);
        const from = times(before);
        const to = times(after);
        await this.jobs.recordHistory(tx, job.id, visitId, 'visit.rescheduled', {
          scheduledStart: { from: from.scheduledStart, to: to.scheduledStart },
          scheduledEnd: { from: from.scheduledEnd, to: to.scheduledEnd },
        });
        await tx.audit({ action: 'field_service.visit_rescheduled', entityType: 'field_service_visit', entityId: visitId, before: from, after: to });
        await tx.emit(VisitRescheduled.of(job.id, { visitId, technicianId: after.technicianId, from, to, version: after.version }));
        return after;
      }),
    );
  }
}
