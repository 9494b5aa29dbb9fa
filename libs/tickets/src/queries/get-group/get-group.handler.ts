import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { GroupsRepository } from '../../repositories/groups.repository';
import type { GroupView } from '../../repositories/groups.sql';
import { GetGroupQuery } from './get-group.query';

/** One live group; a deleted group or another tenant's id is a 404. */
@QueryHandler(GetGroupQuery)
export class GetGroupHandler implements IQueryHandler<GetGroupQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly groups: GroupsRepository,
  ) {}

  execute({ tenantId, groupId }: GetGroupQuery): Promise<GroupView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const group = await this.groups.find(tx, groupId, { live: true });
      if (!group) throw notFound('Group', groupId);
      return group;
    });
  }
}
