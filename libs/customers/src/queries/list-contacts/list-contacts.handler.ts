import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { normalisePhone } from '../../domain/identities';
import { CONTACT_COLUMNS, identitiesOf, toContactView, type ContactRow, type ContactView } from '../../repositories/contacts.sql';
import { ListContactsQuery } from './list-contacts.query';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Newest first, with `q` matching name, email, phone or chat id by substring (trigram indexes
 * keep it fast); a phone typed in any format is also matched in its normalised form.
 */
@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, filter }: ListContactsQuery): Promise<Page<ContactView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const params: unknown[] = [tenantId, filter.limit + 1];
      const where = ['c.tenant_id = $1', 'c.deleted_at IS NULL'];
      if (filter.organizationId) where.push(`c.organization_id = $${params.push(filter.organizationId)}`);
      const q = filter.q?.trim();
      if (q) {
        const patterns = [`%${escapeLike(q.toLowerCase())}%`];
        const phone = normalisePhone(q);
        if (phone) patterns.push(`%${escapeLike(phone)}%`);
        const p = params.push(patterns);
        where.push(`(lower(c.name) LIKE ANY($${p}::text[]) OR EXISTS (
          SELECT 1 FROM contact_identities i WHERE i.tenant_id = c.tenant_id AND i.contact_id = c.id AND i.value LIKE ANY($${p}::text[])))`);
      }
      if (filter.cursor) {
        const [createdAt, id] = decodeCursor(filter.cursor, 2);
        where.push(`(c.created_at, c.id) < ($${params.push(createdAt)}::timestamptz, $${params.push(id)}::uuid)`);
      }
      const rows: ContactRow[] = await tx.manager.query(
        `SELECT ${CONTACT_COLUMNS.split(', ').map((col) => `c.${col}`).join(', ')} FROM contacts c
          WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
        params,
      );
      const identities = await identitiesOf(tx.manager, tenantId, rows.map((r) => r.id));
      return toPage(rows.map((r) => toContactView(r, identities.get(r.id)!)), filter.limit, (c) => [c.createdAt, c.id]);
    });
  }
}
