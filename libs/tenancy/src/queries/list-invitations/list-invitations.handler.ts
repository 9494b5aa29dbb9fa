import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { INVITATION_COLUMNS, toInvitationView, type InvitationRow, type InvitationView } from '../../repositories/invitations';
import { ListInvitationsQuery } from './list-invitations.query';

@QueryHandler(ListInvitationsQuery)
export class ListInvitationsHandler implements IQueryHandler<ListInvitationsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId }: ListInvitationsQuery): Promise<InvitationView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows: InvitationRow[] = await tx.manager.query(
        `SELECT ${INVITATION_COLUMNS} FROM invitations WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 500`,
        [tenantId],
      );
      return rows.map(toInvitationView);
    });
  }
}
