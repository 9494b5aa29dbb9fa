import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import { assertVisitTransition, canMoveJob } from '../../domain/status';
import { VisitClockedIn, VisitClockedOut } from '../../field-service.context';
import { JobsRepository } from '../../repositories/jobs.repository';
import { VisitsRepository } from '../../repositories/visits.repository';
import type { VisitView } from '../../repositories/visits.sql';
import { openVisit } from '../shared/booking';
import { ClockVisitCommand } from './clock-visit.command';

/**
 * Clock-in moves the visit to in progress (and its job, on the first one); clock-out completes
 * the visit, whose actual duration follows from the two server times. A second clock-in, or a
 * clock-out before clock-in, is a 409 naming the visit's status. A technician clocks only their
 * own visits; dispatchers (owners, admins, agents) may clock any, for a technician without a phone.
 * Each clock publishes its event (reports count the time on site against the time scheduled).
 */
@CommandHandler(ClockVisitCommand)
export class ClockVisitHandler implements ICommandHandler<ClockVisitCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
  ) {}

  execute({ context, visitId, clock }: ClockVisitCommand): Promise<VisitView> {
    const to = clock === 'in' ? 'in_progress' : 'completed';
    return this.tx.run(context, async (tx) => {
      const { job, visit: before } = await openVisit(tx, { jobs: this.jobs, visits: this.visits }, visitId);
      assertVisitTransition(visitId, before.status, to);
      if (context.actorId && context.actorId !== before.technicianId && (await this.queries.execute(new GetMemberRoleQuery(context.tenantId, context.actorId))) === 'technician') {
        throw new ProblemException({ status: 403, type: 'not-assigned', title: 'Forbidden', detail: `Visit ${visitId} is not assigned to you; only its technician or a dispatcher can clock it.` });
      }
      const after = await this.visits.setStatus(tx, visitId, to);
      const changes: Record<string, { from?: unknown; to?: unknown }> =
        clock === 'in'
          ? { status: { from: before.status, to: after.status }, clockedInAt: { to: after.clockedInAt } }
          : { status: { from: before.status, to: after.status }, clockedOutAt: { to: after.clockedOutAt }, actualMinutes: { to: after.actualMinutes } };
      await this.jobs.recordHistory(tx, job.id, visitId, clock === 'in' ? 'visit.clocked_in' : 'visit.clocked_out', changes);
      await tx.audit({
        action: clock === 'in' ? 'field_service.visit_clocked_in' : 'field_service.visit_clocked_out',
        entityType: 'field_service_visit',
        entityId: visitId,
        before: { status: before.status },
        after: { status: after.status, clockedInAt: after.clockedInAt, clockedOutAt: after.clockedOutAt },
      });
      const visitTimes = { scheduledStart: after.scheduledStart, scheduledEnd: after.scheduledEnd, version: after.version };
      await tx.emit(
        clock === 'in'
          ? VisitClockedIn.of(job.id, { visitId, technicianId: after.technicianId, clockedInAt: after.clockedInAt!, ...visitTimes })
          : VisitClockedOut.of(job.id, { visitId, technicianId: after.technicianId, clockedInAt: after.clockedInAt!, clockedOutAt: after.clockedOutAt!, actualMinutes: after.actualMinutes ?? 0, ...visitTimes }),
      );
      if (clock === 'in' && job.status === 'scheduled' && canMoveJob(job.status, 'in_progress')) {
        await this.jobs.setStatus(tx, job.id, 'in_progress');
        await this.jobs.recordHistory(tx, job.id, null, 'job.started', { status: { from: job.status, to: 'in_progress' } });
      }
      return after;
    });
  }
}
