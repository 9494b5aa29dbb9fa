import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { JobsRepository } from '../../repositories/jobs.repository';
import { MessagesRepository } from '../../repositories/messages.repository';
import type { MessageView } from '../../repositories/messages.sql';
import { ListJobMessagesQuery } from './list-job-messages.query';

@QueryHandler(ListJobMessagesQuery)
export class ListJobMessagesHandler implements IQueryHandler<ListJobMessagesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  execute({ tenantId, jobId }: ListJobMessagesQuery): Promise<MessageView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.jobs.find(tx, jobId))) throw notFound('Job', jobId);
      return this.messages.ofJob(tx, jobId);
    });
  }
}
