import { Query } from '@nestjs/cqrs';
import type { OrganizationView } from '../../repositories/organizations.sql';

export class GetOrganizationQuery extends Query<OrganizationView> {
  constructor(
    readonly tenantId: string,
    readonly organizationId: string,
  ) {
    super();
  }
}
