import { Query } from '@nestjs/cqrs';
import type { Page, PageQueryDto } from '@switchboard/platform';
import type { TenantView } from '../../repositories/tenants.sql';

export class ListTenantsQuery extends Query<Page<TenantView>> {
  constructor(
    readonly page: PageQueryDto,
    readonly status?: 'active' | 'suspended' | 'deleting',
  ) {
    super();
  }
}
