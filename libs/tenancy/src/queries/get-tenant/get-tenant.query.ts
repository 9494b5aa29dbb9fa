import { Query } from '@nestjs/cqrs';
import type { TenantView } from '../../repositories/tenants.sql';

export class GetTenantQuery extends Query<TenantView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
