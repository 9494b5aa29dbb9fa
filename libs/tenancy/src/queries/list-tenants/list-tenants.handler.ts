import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { toTenantView, type TenantRow, type TenantView } from '../../repositories/tenancy.sql';
import { ListTenantsQuery } from './list-tenants.query';

/** Platform operators' list of tenants, newest first. */
@QueryHandler(ListTenantsQuery)
export class ListTenantsHandler implements IQueryHandler<ListTenantsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  async execute({ page, status }: ListTenantsQuery): Promise<Page<TenantView>> {
    const params: unknown[] = [page.limit + 1];
    const where: string[] = [];
    if (status) where.push(`status = $${params.push(status)}`);
    if (page.cursor) {
      const [createdAt, id] = decodeCursor(page.cursor, 2);
      where.push(`(created_at, id) < ($${params.push(createdAt)}::timestamptz, $${params.push(id)}::uuid)`);
    }
    const rows: TenantRow[] = await this.tx.runAsSystem((m) =>
      m.query(`SELECT * FROM tenants ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $1`, params),
    );
    return toPage(rows.map(toTenantView), page.limit, (t) => [t.createdAt, t.id]);
  }
}
