import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { GroupsRepository } from '../../repositories/groups.repository';
import type { GroupView } from '../../repositories/groups.sql';
import { ListGroupsQuery } from './list-groups.query';

/** The tenant's live groups by name; with `memberId`, only the groups that user is in. */
@QueryHandler(ListGroupsQuery)
export class ListGroupsHandler implements IQueryHandler<ListGroupsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly groups: GroupsRepository,
  ) {}

  execute({ tenantId, page }: ListGroupsQuery): Promise<Page<GroupView>> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows = await this.groups.list(tx, { limit: page.limit, after, memberId: page.memberId });
      return toPage(rows, page.limit, (g) => [g.name.toLowerCase(), g.id]);
    });
  }
}
