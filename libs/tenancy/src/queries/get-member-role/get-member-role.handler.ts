import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import type { Role } from '../../domain/roles';
import { MembersRepository } from '../../repositories/members.repository';
import { GetMemberRoleQuery } from './get-member-role.query';

@QueryHandler(GetMemberRoleQuery)
export class GetMemberRoleHandler implements IQueryHandler<GetMemberRoleQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly members: MembersRepository,
  ) {}

  execute({ tenantId, userId }: GetMemberRoleQuery): Promise<Role | null> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => (await this.members.roleOf(tx, userId)) ?? null);
  }
}
