import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { JobDetailReader, type JobDetail } from '../../repositories/job-detail.reader';
import { JobsRepository } from '../../repositories/jobs.repository';
import { GetJobQuery } from './get-job.query';

/** A job with its visits, line items, notes and totals. */
@QueryHandler(GetJobQuery)
export class GetJobHandler implements IQueryHandler<GetJobQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly detail: JobDetailReader,
  ) {}

  execute({ tenantId, jobId }: GetJobQuery): Promise<JobDetail> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const job = await this.jobs.find(tx, jobId);
      if (!job) throw notFound('Job', jobId);
      return this.detail.read(tx, job);
    });
  }
}
