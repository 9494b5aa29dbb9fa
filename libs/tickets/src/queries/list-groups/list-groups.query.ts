import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { GroupView } from '../../repositories/groups.sql';

export class ListGroupsQuery extends Query<Page<GroupView>> {
  constructor(
    readonly tenantId: string,
    readonly page: { limit: number; cursor?: string; memberId?: string },
  ) {
    super();
  }
}
