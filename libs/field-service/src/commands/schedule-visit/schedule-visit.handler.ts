import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction, PLAN_FEATURE_POLICY, requirePlanFeature, type PlanFeaturePolicy } from '@switchboard/platform';
import { FIELD_SERVICE } from '../../domain/plan-feature';
import { assertTechnician } from '../../domain/references';
import { assertJobOpen } from '../../domain/status';
import { visitTiming } from '../../domain/visit-timing';
import { VisitScheduled } from '../../field-service.context';
import { JobsRepository } from '../../repositories/jobs.repository';
import { VisitsRepository } from '../../repositories/visits.repository';
import type { VisitView } from '../../repositories/visits.sql';
import { assertFree, bookingGuard, times } from '../shared/booking';
import { ScheduleVisitCommand } from './schedule-visit.command';

/** A visit of an open job, optionally with its technician, who must be free for the whole visit. */
@CommandHandler(ScheduleVisitCommand)
export class ScheduleVisitHandler implements ICommandHandler<ScheduleVisitCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
    @Optional() @Inject(PLAN_FEATURE_POLICY) private readonly plans?: PlanFeaturePolicy,
  ) {}

  async execute({ context, jobId, input, now }: ScheduleVisitCommand): Promise<VisitView> {
    await requirePlanFeature(this.plans, context.tenantId, FIELD_SERVICE);
    const timing = visitTiming(input, now);
    const technicianId = input.technicianId ?? null;
    const booking = () => (technicianId ? { technicianId, start: timing.start, end: timing.end, exceptId: null } : null);
    return bookingGuard(this.tx, this.visits, context, booking, () =>
      this.tx.run(context, async (tx) => {
        const job = await this.jobs.findForUpdate(tx, jobId);
        if (!job) throw notFound('Job', jobId);
        assertJobOpen(jobId, job.status);
        if (technicianId) {
          await assertTechnician(this.queries, context.tenantId, technicianId);
          await assertFree(tx, this.visits, booking()!);
        }
        const visit = await this.visits.insert(tx, jobId, technicianId, timing);
        const after = { technicianId, ...times(visit), arrivalWindowStart: visit.arrivalWindowStart, arrivalWindowEnd: visit.arrivalWindowEnd };
        await this.jobs.recordHistory(tx, jobId, visit.id, 'visit.scheduled', Object.fromEntries(Object.entries(after).map(([k, v]) => [k, { to: v }])));
        await tx.audit({ action: 'field_service.visit_scheduled', entityType: 'field_service_visit', entityId: visit.id, after: { jobId, ...after } });
        await tx.emit(VisitScheduled.of(jobId, { visitId: visit.id, technicianId, ...times(visit), version: visit.version }));
        return visit;
      }),
    );
  }
}
