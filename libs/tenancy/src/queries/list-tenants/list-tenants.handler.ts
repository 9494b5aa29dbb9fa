import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import { ListTenantsQuery } from './list-tenants.query';

/** Platform operators' list of tenants, newest first. */
@QueryHandler(ListTenantsQuery)
export class ListTenantsHandler implements IQueryHandler<ListTenantsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tenants: TenantsRepository,
  ) {}

  async execute({ page, status }: ListTenantsQuery): Promise<Page<TenantView>> {
    const tenants = await this.tx.runAsSystem((m) => this.tenants.list(m, { limit: page.limit, cursor: page.cursor, status }));
    return toPage(tenants, page.limit, (t) => [t.createdAt, t.id]);
  }
}
