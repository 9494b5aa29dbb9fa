import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { JobsRepository } from '../../repositories/jobs.repository';
import type { JobListItem } from '../../repositories/jobs.sql';
import { ListJobsQuery } from './list-jobs.query';

/** Jobs, newest first, filtered by status, contact or the ticket they came from. */
@QueryHandler(ListJobsQuery)
export class ListJobsHandler implements IQueryHandler<ListJobsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
  ) {}

  execute({ tenantId, page }: ListJobsQuery): Promise<Page<JobListItem>> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows = await this.jobs.list(tx, { limit: page.limit, after, status: page.status, contactId: page.contactId, ticketId: page.ticketId });
      return toPage(rows, page.limit, (j) => [j.createdAt, j.id]);
    });
  }
}
