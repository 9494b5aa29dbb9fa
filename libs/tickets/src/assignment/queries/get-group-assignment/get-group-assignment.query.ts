import { Query } from '@nestjs/cqrs';
import type { AssignmentOverview } from '../../domain/assignment-view';

export class GetGroupAssignmentQuery extends Query<AssignmentOverview> {
  constructor(
    readonly tenantId: string,
    readonly groupId: string,
  ) {
    super();
  }
}
