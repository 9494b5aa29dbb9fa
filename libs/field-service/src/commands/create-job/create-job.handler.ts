import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction, PLAN_FEATURE_POLICY, requirePlanFeature, type PlanFeaturePolicy } from '@switchboard/platform';
import { FIELD_SERVICE } from '../../domain/plan-feature';
import { assertContactAddress, assertTicket } from '../../domain/references';
import { JobCreated } from '../../field-service.context';
import { JobDetailReader, type JobDetail } from '../../repositories/job-detail.reader';
import { JobsRepository } from '../../repositories/jobs.repository';
import { CreateJobCommand } from './create-job.command';

/** A job for a contact at one of their addresses, optionally linked to the ticket it came from. */
@CommandHandler(CreateJobCommand)
export class CreateJobHandler implements ICommandHandler<CreateJobCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly jobs: JobsRepository,
    private readonly detail: JobDetailReader,
    @Optional() @Inject(PLAN_FEATURE_POLICY) private readonly plans?: PlanFeaturePolicy,
  ) {}

  async execute({ context, input }: CreateJobCommand): Promise<JobDetail> {
    await requirePlanFeature(this.plans, context.tenantId, FIELD_SERVICE);
    return this.tx.run(context, async (tx) => {
      await assertContactAddress(this.queries, context.tenantId, input.contactId, input.addressId);
      if (input.ticketId) await assertTicket(this.queries, context.tenantId, input.ticketId);
      const job = await this.jobs.insert(tx, {
        contactId: input.contactId,
        addressId: input.addressId,
        ticketId: input.ticketId ?? null,
        title: input.title,
        description: input.description ?? null,
      });
      const snapshot = { contactId: job.contactId, addressId: job.addressId, ticketId: job.ticketId, title: job.title, status: job.status };
      await this.jobs.recordHistory(tx, job.id, null, 'job.created', Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, { to: v }])));
      await tx.audit({ action: 'field_service.job_created', entityType: 'field_service_job', entityId: job.id, after: { ...snapshot, description: job.description } });
      await tx.emit(JobCreated.of(job.id, snapshot));
      return this.detail.read(tx, job);
    });
  }
}
