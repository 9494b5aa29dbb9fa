import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ORGANIZATION_COLUMNS, toOrganizationView, type OrganizationRow, type OrganizationView } from '../../repositories/organizations.sql';
import { GetOrganizationQuery } from './get-organization.query';

@QueryHandler(GetOrganizationQuery)
export class GetOrganizationHandler implements IQueryHandler<GetOrganizationQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, organizationId }: GetOrganizationQuery): Promise<OrganizationView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows: OrganizationRow[] = await tx.manager.query(
        `SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
        [tenantId, organizationId],
      );
      if (!rows[0]) throw notFound('Organization', organizationId);
      return toOrganizationView(rows[0]);
    });
  }
}
