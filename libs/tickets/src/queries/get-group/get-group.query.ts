import { Query } from '@nestjs/cqrs';
import type { GroupView } from '../../repositories/groups.sql';

export class GetGroupQuery extends Query<GroupView> {
  constructor(
    readonly tenantId: string,
    readonly groupId: string,
  ) {
    super();
  }
}
