import { Query } from '@nestjs/cqrs';
import type { Role } from '../../domain/roles';

/** The role a user holds in a tenant, or null: how other contexts check assignees. */
export class GetMemberRoleQuery extends Query<Role | null> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}
