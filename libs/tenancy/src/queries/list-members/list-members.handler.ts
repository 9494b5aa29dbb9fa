import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { toMemberView, type MemberView } from '../../repositories/members';
import type { MemberRow } from '../../repositories/tenancy.sql';
import { ListMembersQuery } from './list-members.query';

@QueryHandler(ListMembersQuery)
export class ListMembersHandler implements IQueryHandler<ListMembersQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId }: ListMembersQuery): Promise<MemberView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows: MemberRow[] = await tx.manager.query(
        `SELECT m.id, m.tenant_id, m.user_id, m.role, m.created_at, m.version, u.email, u.name
           FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY u.email`,
        [tenantId],
      );
      return rows.map(toMemberView);
    });
  }
}
