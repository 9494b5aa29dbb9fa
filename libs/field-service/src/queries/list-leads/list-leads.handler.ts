import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { LeadsRepository } from '../../repositories/leads.repository';
import type { LeadView } from '../../repositories/leads.sql';
import { ListLeadsQuery } from './list-leads.query';

/** Leads, newest first, optionally by status. */
@QueryHandler(ListLeadsQuery)
export class ListLeadsHandler implements IQueryHandler<ListLeadsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly leads: LeadsRepository,
  ) {}

  execute({ tenantId, page }: ListLeadsQuery): Promise<Page<LeadView>> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows = await this.leads.list(tx, { limit: page.limit, after, status: page.status });
      return toPage(rows, page.limit, (l) => [l.createdAt, l.id]);
    });
  }
}
