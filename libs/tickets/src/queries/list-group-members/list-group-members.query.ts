import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { GroupMemberView } from '../../repositories/groups.sql';

export class ListGroupMembersQuery extends Query<Page<GroupMemberView>> {
  constructor(
    readonly tenantId: string,
    readonly groupId: string,
    readonly page: { limit: number; cursor?: string },
  ) {
    super();
  }
}
