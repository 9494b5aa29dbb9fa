import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { InvitationsRepository } from '../../repositories/invitations.repository';
import type { InvitationView } from '../../repositories/invitations.sql';
import { ListInvitationsQuery } from './list-invitations.query';

@QueryHandler(ListInvitationsQuery)
export class ListInvitationsHandler implements IQueryHandler<ListInvitationsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invitations: InvitationsRepository,
  ) {}

  execute({ tenantId }: ListInvitationsQuery): Promise<InvitationView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.invitations.list(tx));
  }
}
