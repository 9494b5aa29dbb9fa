import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ListContactsQuery } from '@switchboard/customers';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { resolveFieldConditions, resolveFieldSort } from '../../domain/field-filters';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { ListTicketsQuery } from './list-tickets.query';

const TICKET_NUMBER = /^#?(\d{1,9})$/;
const EMAILISH = /^[^\s@]+@[^\s@]+$/;

/**
 * Filtered, sorted, keyset-paginated tickets; `q` searches the subject and every message (see
 * ticketSql.list), and also finds a ticket by its number ("#42") and the tickets of the contact
 * whose email it is (looked up through the customers context). Custom field conditions and a
 * custom field sort are resolved against the tenant's fields first (a deleted field is a 422).
 */
@QueryHandler(ListTicketsQuery)
export class ListTicketsHandler implements IQueryHandler<ListTicketsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
  ) {}

  async execute({ tenantId, filter }: ListTicketsQuery): Promise<Page<TicketView>> {
    const q = filter.q?.trim();
    const qNumber = q && TICKET_NUMBER.test(q) ? Number(TICKET_NUMBER.exec(q)![1]) : undefined;
    const qRequesterIds = q && EMAILISH.test(q) ? await this.requestersWithEmail(tenantId, q) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const { cursor, field, sort, ...criteria } = filter;
      const sortKey = sort.startsWith('field:') ? sort.slice('field:'.length) : undefined;
      const rules = field?.length || sortKey ? await this.tickets.fieldRules(tx) : [];
      const fields = field?.length ? resolveFieldConditions(rules, field) : undefined;
      if (sortKey) {
        const sortField = resolveFieldSort(rules, sortKey);
        // The position is (has a value, the value, id): a ticket without a value sorts after every value.
        const position = cursor ? (decodeCursor(cursor, 3) as [string, string, string]) : undefined;
        const afterField = position ? ([position[0] === 'v' ? position[1] : null, position[2]] as const) : undefined;
        const rows = await this.tickets.listByField(tx, { ...criteria, sort: 'createdAt', fields, sortField, afterField, qNumber, qRequesterIds });
        const page = toPage(rows, filter.limit, (r) => (r.sortKey === null ? ['n', '', r.ticket.id] : ['v', r.sortKey, r.ticket.id]));
        return { data: page.data.map((r) => r.ticket), nextCursor: page.nextCursor };
      }
      if (sort === 'slaBreachAt') {
        const position = cursor ? (decodeCursor(cursor, 3) as [string, string, string]) : undefined;
        const afterSla = position ? ([position[0] === 'v' ? position[1] : null, position[2]] as const) : undefined;
        const rows = await this.tickets.list(tx, { ...criteria, sort, fields, afterSla, qNumber, qRequesterIds });
        return toPage(rows, filter.limit, (t) => (t.slaBreachAt === null ? ['n', '', t.id] : ['v', t.slaBreachAt, t.id]));
      }
      const after = cursor ? (decodeCursor(cursor, 2) as [string, string]) : undefined;
      const rows = await this.tickets.list(tx, { ...criteria, sort: sort as 'createdAt' | 'updatedAt', fields, after, qNumber, qRequesterIds });
      return toPage(rows, filter.limit, (t) => [sort === 'updatedAt' ? t.updatedAt : t.createdAt, t.id]);
    });
  }

  private async requestersWithEmail(tenantId: string, email: string): Promise<string[]> {
    const page = await this.queries.execute(new ListContactsQuery(tenantId, { q: email, limit: 20 }));
    const wanted = email.toLowerCase();
    return page.data.filter((c) => c.emails.includes(wanted)).map((c) => c.id);
  }
}
