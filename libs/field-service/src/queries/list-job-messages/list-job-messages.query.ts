import { Query } from '@nestjs/cqrs';
import type { MessageView } from '../../repositories/messages.sql';

/** The customer messages of a job (and its visits), planned, sent, cancelled or failed, oldest first. */
export class ListJobMessagesQuery extends Query<MessageView[]> {
  constructor(
    readonly tenantId: string,
    readonly jobId: string,
  ) {
    super();
  }
}
