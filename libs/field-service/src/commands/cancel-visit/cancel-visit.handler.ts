import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { assertVisitTransition } from '../../domain/status';
import { JobsRepository } from '../../repositories/jobs.repository';
import { VisitsRepository } from '../../repositories/visits.repository';
import type { VisitView } from '../../repositories/visits.sql';
import { VisitCancelled } from '../../field-service.context';
import { openVisit, times } from '../shared/booking';
import { CancelVisitCommand } from './cancel-visit.command';

/** Calls off a visit that has not started; its slot is free again. */
@CommandHandler(CancelVisitCommand)
export class CancelVisitHandler implements ICommandHandler<CancelVisitCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
  ) {}

  execute({ context, visitId }: CancelVisitCommand): Promise<VisitView> {
    return this.tx.run(context, async (tx) => {
      const { job, visit: before } = await openVisit(tx, { jobs: this.jobs, visits: this.visits }, visitId);
      assertVisitTransition(visitId, before.status, 'cancelled');
      const after = await this.visits.setStatus(tx, visitId, 'cancelled');
      await this.jobs.recordHistory(tx, job.id, visitId, 'visit.cancelled', { status: { from: before.status, to: after.status } });
      await tx.audit({ action: 'field_service.visit_cancelled', entityType: 'field_service_visit', entityId: visitId, before: { status: before.status }, after: { status: after.status } });
      await tx.emit(VisitCancelled.of(job.id, { visitId, technicianId: after.technicianId, ...times(after), withJob: false, version: after.version }));
      return after;
    });
  }
}
