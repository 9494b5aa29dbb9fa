import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { TenantsRepository } from '../../repositories/tenants.repository';
import { FindPublicTenantQuery, type PublicTenant } from './find-public-tenant.query';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

@QueryHandler(FindPublicTenantQuery)
export class FindPublicTenantHandler implements IQueryHandler<FindPublicTenantQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tenants: TenantsRepository,
  ) {}

  async execute({ slug }: FindPublicTenantQuery): Promise<PublicTenant | null> {
    if (!SLUG.test(slug)) return null;
    return (await this.tx.runAsSystem((m) => this.tenants.findActiveBySlug(m, slug))) ?? null;
  }
}
