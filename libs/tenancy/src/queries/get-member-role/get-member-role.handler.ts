import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import type { Role } from '../../domain/roles';
import { GetMemberRoleQuery } from './get-member-role.query';

@QueryHandler(GetMemberRoleQuery)
export class GetMemberRoleHandler implements IQueryHandler<GetMemberRoleQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, userId }: GetMemberRoleQuery): Promise<Role | null> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows: { role: Role }[] = await tx.manager.query(`SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
      return rows[0]?.role ?? null;
    });
  }
}
