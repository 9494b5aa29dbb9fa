import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { MembersRepository } from '../../repositories/members.repository';
import type { MemberView } from '../../repositories/members.sql';
import { ListMembersQuery } from './list-members.query';

@QueryHandler(ListMembersQuery)
export class ListMembersHandler implements IQueryHandler<ListMembersQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly members: MembersRepository,
  ) {}

  execute({ tenantId }: ListMembersQuery): Promise<MemberView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.members.list(tx));
  }
}
