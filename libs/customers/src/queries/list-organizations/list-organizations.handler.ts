import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { ORGANIZATION_COLUMNS, toOrganizationView, type OrganizationRow, type OrganizationView } from '../../repositories/organizations.sql';
import { ListOrganizationsQuery } from './list-organizations.query';

@QueryHandler(ListOrganizationsQuery)
export class ListOrganizationsHandler implements IQueryHandler<ListOrganizationsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, filter }: ListOrganizationsQuery): Promise<Page<OrganizationView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const params: unknown[] = [tenantId, filter.limit + 1];
      const where = ['tenant_id = $1', 'deleted_at IS NULL'];
      const q = filter.q?.trim().toLowerCase();
      if (q) {
        const p = params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        where.push(`(lower(name) LIKE $${p} OR EXISTS (SELECT 1 FROM unnest(domains) d WHERE d LIKE $${p}))`);
      }
      if (filter.cursor) {
        const [createdAt, id] = decodeCursor(filter.cursor, 2);
        where.push(`(created_at, id) < ($${params.push(createdAt)}::timestamptz, $${params.push(id)}::uuid)`);
      }
      const rows: OrganizationRow[] = await tx.manager.query(
        `SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $2`,
        params,
      );
      return toPage(rows.map(toOrganizationView), filter.limit, (o) => [o.createdAt, o.id]);
    });
  }
}
