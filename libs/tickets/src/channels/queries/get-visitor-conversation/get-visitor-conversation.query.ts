import { Query } from '@nestjs/cqrs';
import type { VisitorMessage } from '../../repositories/widget-sessions.repository';

export class GetVisitorConversationQuery extends Query<{ data: VisitorMessage[] }> {
  constructor(
    readonly publicKey: string,
    readonly origin: string | null,
    readonly token: string | null,
  ) {
    super();
  }
}
