import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import { GetTenantQuery } from './get-tenant.query';

@QueryHandler(GetTenantQuery)
export class GetTenantHandler implements IQueryHandler<GetTenantQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tenants: TenantsRepository,
  ) {}

  async execute({ tenantId }: GetTenantQuery): Promise<TenantView> {
    const tenant = await this.tx.runAsSystem((m) => this.tenants.get(m, tenantId));
    if (!tenant) throw notFound('Tenant', tenantId);
    return tenant;
  }
}
