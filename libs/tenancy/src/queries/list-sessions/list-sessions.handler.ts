import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { SessionsRepository } from '../../repositories/sessions.repository';
import { ListSessionsQuery, type SessionListItem } from './list-sessions.query';

@QueryHandler(ListSessionsQuery)
export class ListSessionsHandler implements IQueryHandler<ListSessionsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sessions: SessionsRepository,
  ) {}

  async execute({ tenantId, userId, currentSessionId }: ListSessionsQuery): Promise<SessionListItem[]> {
    const rows = await this.tx.run({ tenantId, actorId: userId, correlationId: null }, (tx) => this.sessions.listActive(tx, userId));
    return rows.map(({ userId: _user, ...s }) => ({ ...s, current: s.id === currentSessionId }));
  }
}
