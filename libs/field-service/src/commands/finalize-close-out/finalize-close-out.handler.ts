import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { decideAttributes, dueOn, nextActionOf, type NextAction } from '../../domain/close-out';
import { conflict } from '../../domain/problems';
import { assertJobOpen } from '../../domain/status';
import { assertOnJob } from '../../domain/technician';
import { JobClosedOut } from '../../field-service.context';
import { CloseOutsRepository } from '../../repositories/close-outs.repository';
import type { CloseOutView, ResolvedNextAction } from '../../repositories/close-outs.sql';
import type { JobView } from '../../repositories/jobs.sql';
import { JobsRepository } from '../../repositories/jobs.repository';
import type { VisitView } from '../../repositories/visits.sql';
import { VisitsRepository } from '../../repositories/visits.repository';
import { CloseJobCommand } from '../close-job/close-job.command';
import { CreateJobCommand } from '../create-job/create-job.command';
import { alreadyClosedOut } from '../initiate-close-out/initiate-close-out.handler';
import { ScheduleVisitCommand } from '../schedule-visit/schedule-visit.command';
import { FinalizeCloseOutCommand } from './finalize-close-out.command';

/**
 * Closes the job out in one transaction: the job is completed through the close-job command, the
 * next visit is booked through the booking command (on a follow-up job for the same contact and
 * address, assigned by default to the job's last technician) or a follow-up is recorded, and the
 * close-out is finalized with the technician's decisions. `field_service.job_closed_out` carries
 * the confirmed attributes to the contact through the outbox. Any refusal — a double booking, a
 * visit still clocked in — rolls all of it back.
 */
@CommandHandler(FinalizeCloseOutCommand)
export class FinalizeCloseOutHandler implements ICommandHandler<FinalizeCloseOutCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
    private readonly closeOuts: CloseOutsRepository,
  ) {}

  execute({ context, jobId, input, now }: FinalizeCloseOutCommand): Promise<CloseOutView> {
    const next = nextActionOf(input.nextAction);
    return this.tx.run(context, async (tx) => {
      const job = await this.jobs.findForUpdate(tx, jobId);
      if (!job) throw notFound('Job', jobId);
      const draft = await this.closeOuts.find(tx, jobId, true);
      if (draft?.status === 'finalized') throw alreadyClosedOut(jobId);
      assertJobOpen(jobId, job.status);
      if (!draft) throw conflict('close-out-not-started', `Job ${jobId} has no close-out awaiting confirmation; POST /v1/field-service/jobs/${jobId}/close-out first.`, { currentStatus: job.status });
      const visits = await this.visits.ofJob(tx, jobId);
      await assertOnJob(this.queries, context, jobId, visits);
      const decided = decideAttributes(draft.suggestions, input.attributes);

      await this.commands.execute(new CloseJobCommand(context, jobId, 'completed'));
      const resolved = await this.nextAction(tx, job, visits, next, now);
      const finalized = (await this.closeOuts.finalize(tx, jobId, decided, resolved))!;

      await this.jobs.recordHistory(tx, jobId, null, 'job.closed_out', {
        confirmed: { to: Object.fromEntries(decided.confirmed.map((a) => [a.key, a.value])) },
        dropped: { to: decided.dropped },
        nextAction: { to: resolved },
      });
      await tx.audit({ action: 'field_service.job_closed_out', entityType: 'field_service_job', entityId: jobId, before: { closeOut: 'awaiting_confirmation' }, after: { closeOut: 'finalized', ...decided, nextAction: resolved } });
      await tx.emit(
        JobClosedOut.of(jobId, {
          contactId: job.contactId,
          durationMinutes: finalized.durationMinutes,
          attributes: decided.confirmed,
          dropped: decided.dropped,
          nextAction: resolved,
          confirmedBy: context.actorId,
          confirmedAt: finalized.finalizedAt!,
        }),
      );
      return finalized;
    });
  }

  private async nextAction(tx: TenantTx, job: JobView, visits: VisitView[], next: NextAction, now: Date): Promise<ResolvedNextAction> {
    const context = tx.context;
    switch (next.kind) {
      case 'schedule_visit': {
        const technicianId = next.technicianId ?? [...visits].reverse().find((v) => v.technicianId && v.status !== 'cancelled')?.technicianId ?? null;
        const followUp = await this.commands.execute(new CreateJobCommand(context, { contactId: job.contactId, addressId: job.addressId, ticketId: job.ticketId, title: `Follow-up: ${job.title}`.slice(0, 300) }));
        const visit = await this.commands.execute(new ScheduleVisitCommand(context, followUp.id, { scheduledStart: next.start, durationMinutes: next.durationMinutes, technicianId }, now));
        return { kind: 'schedule_visit', jobId: followUp.id, visitId: visit.id, start: visit.scheduledStart, durationMinutes: next.durationMinutes, technicianId };
      }
      case 'reach_out': {
        const followUp = await this.closeOuts.insertFollowUp(tx, job.id, job.contactId, dueOn(now, next.inMonths));
        return { kind: 'reach_out', inMonths: next.inMonths, followUpId: followUp.id, dueOn: followUp.dueOn };
      }
      case 'none':
        return { kind: 'none' };
    }
  }
}
