import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { findTenant, toTenantView, type TenantView } from '../../repositories/tenancy.sql';
import { GetTenantQuery } from './get-tenant.query';

@QueryHandler(GetTenantQuery)
export class GetTenantHandler implements IQueryHandler<GetTenantQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  async execute({ tenantId }: GetTenantQuery): Promise<TenantView> {
    const tenant = await this.tx.runAsSystem((m) => findTenant(m, tenantId));
    if (!tenant) throw notFound('Tenant', tenantId);
    return toTenantView(tenant);
  }
}
