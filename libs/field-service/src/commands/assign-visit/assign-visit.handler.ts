import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { assertTechnician } from '../../domain/references';
import { assertVisitPlannable } from '../../domain/status';
import { JobsRepository } from '../../repositories/jobs.repository';
import { VisitsRepository } from '../../repositories/visits.repository';
import type { VisitView } from '../../repositories/visits.sql';
import { VisitAssigned } from '../../field-service.context';
import { assertFree, bookingGuard, openVisit, times, type Booking } from '../shared/booking';
import { AssignVisitCommand } from './assign-visit.command';

/** Gives a visit that has not started to a technician who is free then, or takes it back (null). */
@CommandHandler(AssignVisitCommand)
export class AssignVisitHandler implements ICommandHandler<AssignVisitCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
  ) {}

  execute({ context, visitId, technicianId }: AssignVisitCommand): Promise<VisitView> {
    let booking: Booking | null = null;
    return bookingGuard(this.tx, this.visits, context, () => booking, () =>
      this.tx.run(context, async (tx) => {
        const { job, visit: before } = await openVisit(tx, { jobs: this.jobs, visits: this.visits }, visitId);
        assertVisitPlannable(visitId, before.status);
        if (before.technicianId === technicianId) return before;
        if (technicianId) {
          await assertTechnician(this.queries, context.tenantId, technicianId);
          booking = { technicianId, start: new Date(before.scheduledStart), end: new Date(before.scheduledEnd), exceptId: visitId };
          await assertFree(tx, this.visits, booking);
        }
        const after = await this.visits.assign(tx, visitId, technicianId);
        await this.jobs.recordHistory(tx, job.id, visitId, 'visit.assigned', { technicianId: { from: before.technicianId, to: technicianId } });
        await tx.audit({ action: 'field_service.visit_assigned', entityType: 'field_service_visit', entityId: visitId, before: { technicianId: before.technicianId }, after: { technicianId } });
        await tx.emit(VisitAssigned.of(job.id, { visitId, from: before.technicianId, to: technicianId, ...times(after), version: after.version }));
        return after;
      }),
    );
  }
}
