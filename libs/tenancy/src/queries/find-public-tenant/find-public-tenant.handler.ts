import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { FindPublicTenantQuery, type PublicTenant } from './find-public-tenant.query';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

@QueryHandler(FindPublicTenantQuery)
export class FindPublicTenantHandler implements IQueryHandler<FindPublicTenantQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  async execute({ slug }: FindPublicTenantQuery): Promise<PublicTenant | null> {
    if (!SLUG.test(slug)) return null;
    const rows: PublicTenant[] = await this.tx.runAsSystem((m) => m.query(`SELECT id, slug, name, locale FROM tenants WHERE slug = $1 AND status = 'active'`, [slug]));
    return rows[0] ?? null;
  }
}
