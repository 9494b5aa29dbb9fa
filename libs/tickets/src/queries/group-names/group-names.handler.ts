import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GroupsRepository } from '../../repositories/groups.repository';
import { GroupNamesQuery } from './group-names.query';

/** Tenants have tens of groups, not thousands: the cap only bounds a runaway tenant. */
const MAX_GROUPS = 5000;

@QueryHandler(GroupNamesQuery)
export class GroupNamesHandler implements IQueryHandler<GroupNamesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly groups: GroupsRepository,
  ) {}

  execute({ tenantId }: GroupNamesQuery): Promise<Record<string, string>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => Object.fromEntries((await this.groups.names(tx, MAX_GROUPS)).map((g) => [g.id, g.name])));
  }
}
