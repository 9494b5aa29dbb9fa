import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { VisitorAccess } from '../../adapters/visitor-access.service';
import { WidgetSessionsRepository, type VisitorMessage } from '../../repositories/widget-sessions.repository';
import { GetVisitorConversationQuery } from './get-visitor-conversation.query';

/** The visitor's own conversation after a reload: the public messages of their session's ticket, the newest 200. */
@QueryHandler(GetVisitorConversationQuery)
export class GetVisitorConversationHandler implements IQueryHandler<GetVisitorConversationQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: VisitorAccess,
    private readonly sessions: WidgetSessionsRepository,
  ) {}

  async execute({ publicKey, origin, token }: GetVisitorConversationQuery): Promise<{ data: VisitorMessage[] }> {
    const { session } = await this.access.visitor(publicKey, origin, token);
    if (!session.ticketId) return { data: [] };
    const context = { tenantId: session.tenantId, actorId: null, actorType: 'system' as const, correlationId: session.id };
    return { data: await this.tx.run(context, (tx) => this.sessions.conversation(tx, session.ticketId!, 200)) };
  }
}
