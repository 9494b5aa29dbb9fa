import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { MessageView } from '../../repositories/messages.sql';

export class ListMessagesQuery extends Query<Page<MessageView>> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly page: { limit: number; cursor?: string },
  ) {
    super();
  }
}
