import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { GroupsRepository } from '../../repositories/groups.repository';
import type { GroupMemberView } from '../../repositories/groups.sql';
import { ListGroupMembersQuery } from './list-group-members.query';

/** A live group's members, in the order they joined. */
@QueryHandler(ListGroupMembersQuery)
export class ListGroupMembersHandler implements IQueryHandler<ListGroupMembersQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly groups: GroupsRepository,
  ) {}

  execute({ tenantId, groupId, page }: ListGroupMembersQuery): Promise<Page<GroupMemberView>> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.groups.find(tx, groupId, { live: true }))) throw notFound('Group', groupId);
      const rows = await this.groups.members(tx, groupId, { limit: page.limit, after });
      return toPage(rows, page.limit, (m) => [m.addedAt, m.userId]);
    });
  }
}
