import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { OrganizationView } from '../../repositories/organizations.sql';

export class ListOrganizationsQuery extends Query<Page<OrganizationView>> {
  constructor(
    readonly tenantId: string,
    readonly filter: { q?: string; limit: number; cursor?: string },
  ) {
    super();
  }
}
