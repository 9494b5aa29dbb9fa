import { Query } from '@nestjs/cqrs';
import type { TenantView } from '../../repositories/tenancy.sql';

export class GetTenantQuery extends Query<TenantView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
