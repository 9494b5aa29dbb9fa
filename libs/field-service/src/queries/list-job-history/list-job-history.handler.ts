import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { JobsRepository } from '../../repositories/jobs.repository';
import type { HistoryEntry } from '../../repositories/jobs.sql';
import { ListJobHistoryQuery } from './list-job-history.query';

/** Every change of a job and its visits, newest first. */
@QueryHandler(ListJobHistoryQuery)
export class ListJobHistoryHandler implements IQueryHandler<ListJobHistoryQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
  ) {}

  execute({ tenantId, jobId, page }: ListJobHistoryQuery): Promise<Page<HistoryEntry>> {
    const before = page.cursor ? Number(decodeCursor(page.cursor, 1)[0]) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.jobs.find(tx, jobId))) throw notFound('Job', jobId);
      const rows = await this.jobs.history(tx, jobId, { limit: page.limit, before: Number.isSafeInteger(before) ? before : undefined });
      return toPage(rows, page.limit, (e) => [e.id]);
    });
  }
}
