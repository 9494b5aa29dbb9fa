import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { OrganizationsRepository } from '../../repositories/organizations.repository';
import type { OrganizationView } from '../../repositories/organizations.sql';
import { ListOrganizationsQuery } from './list-organizations.query';

@QueryHandler(ListOrganizationsQuery)
export class ListOrganizationsHandler implements IQueryHandler<ListOrganizationsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly organizations: OrganizationsRepository,
  ) {}

  execute({ tenantId, filter }: ListOrganizationsQuery): Promise<Page<OrganizationView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) =>
      toPage(await this.organizations.list(tx, filter), filter.limit, (o) => [o.createdAt, o.id]),
    );
  }
}
