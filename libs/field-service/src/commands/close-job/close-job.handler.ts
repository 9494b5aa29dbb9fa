import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { conflict } from '../../domain/problems';
import { assertJobOpen, assertJobTransition } from '../../domain/status';
import { JobCancelled, JobCompleted, VisitCancelled } from '../../field-service.context';
import { JobDetailReader, type JobDetail } from '../../repositories/job-detail.reader';
import { JobsRepository } from '../../repositories/jobs.repository';
import { VisitsRepository } from '../../repositories/visits.repository';
import { CloseJobCommand } from './close-job.command';

/**
 * Closes a job: not while a technician is clocked in on one of its visits; visits that have not
 * started are cancelled with it. Completion carries the job's totals in its event.
 */
@CommandHandler(CloseJobCommand)
export class CloseJobHandler implements ICommandHandler<CloseJobCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
    private readonly detail: JobDetailReader,
  ) {}

  execute({ context, jobId, outcome }: CloseJobCommand): Promise<JobDetail> {
    return this.tx.run(context, async (tx) => {
      const before = await this.jobs.findForUpdate(tx, jobId);
      if (!before) throw notFound('Job', jobId);
      assertJobOpen(jobId, before.status);
      assertJobTransition(jobId, before.status, outcome);
      const running = (await this.visits.ofJob(tx, jobId)).find((v) => v.status === 'in_progress');
      if (running) {
        throw conflict('visit-in-progress', `Visit ${running.id} is still clocked in; clock out before the job is ${outcome}.`, { currentStatus: before.status, visitId: running.id });
      }
      const cancelled = await this.visits.cancelScheduled(tx, jobId);
      const job = await this.jobs.setStatus(tx, jobId, outcome);
      const detail = await this.detail.read(tx, job);
      await this.jobs.recordHistory(tx, jobId, null, outcome === 'completed' ? 'job.completed' : 'job.cancelled', {
        status: { from: before.status, to: outcome },
        ...(cancelled.length ? { cancelledVisits: { to: cancelled.map((v) => v.id) } } : {}),
      });
      await tx.audit({ action: `field_service.job_${outcome}`, entityType: 'field_service_job', entityId: jobId, before: { status: before.status }, after: { status: outcome } });
      // Each visit called off reaches its technician's console like a visit cancelled on its own.
      for (const v of cancelled) {
        await tx.emit(VisitCancelled.of(jobId, { visitId: v.id, technicianId: v.technicianId, scheduledStart: v.scheduledStart, scheduledEnd: v.scheduledEnd, withJob: true, version: v.version }));
      }
      if (outcome === 'cancelled') await tx.emit(JobCancelled.of(jobId, { cancelledAt: job.cancelledAt!, visitIds: cancelled.map((v) => v.id) }));
      if (outcome === 'completed') {
        await tx.emit(
          JobCompleted.of(jobId, {
            completedAt: job.completedAt!,
            ...detail.totals,
            visitIds: detail.visits.filter((v) => v.status === 'completed').map((v) => v.id),
          }),
        );
      }
      return detail;
    });
  }
}
