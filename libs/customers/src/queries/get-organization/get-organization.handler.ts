import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { OrganizationsRepository } from '../../repositories/organizations.repository';
import type { OrganizationView } from '../../repositories/organizations.sql';
import { GetOrganizationQuery } from './get-organization.query';

@QueryHandler(GetOrganizationQuery)
export class GetOrganizationHandler implements IQueryHandler<GetOrganizationQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly organizations: OrganizationsRepository,
  ) {}

  execute({ tenantId, organizationId }: GetOrganizationQuery): Promise<OrganizationView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const organization = await this.organizations.find(tx, organizationId);
      if (!organization) throw notFound('Organization', organizationId);
      return organization;
    });
  }
}
