import { Query } from '@nestjs/cqrs';
import type { JobDetail } from '../../repositories/job-detail.reader';

export class GetJobQuery extends Query<JobDetail> {
  constructor(
    readonly tenantId: string,
    readonly jobId: string,
  ) {
    super();
  }
}
