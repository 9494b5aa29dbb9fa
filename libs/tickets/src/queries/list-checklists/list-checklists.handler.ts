import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { ChecklistsRepository } from '../../repositories/checklists.repository';
import type { ChecklistTemplateView, ChecklistView } from '../../repositories/checklists.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ListChecklistsQuery, ListChecklistTemplatesQuery } from './list-checklists.query';

@QueryHandler(ListChecklistsQuery)
export class ListChecklistsHandler implements IQueryHandler<ListChecklistsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly checklists: ChecklistsRepository,
  ) {}

  execute({ tenantId, ticketId }: ListChecklistsQuery): Promise<{ data: ChecklistView[] }> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      return { data: await this.checklists.ofTicket(tx, ticketId) };
    });
  }
}

@QueryHandler(ListChecklistTemplatesQuery)
export class ListChecklistTemplatesHandler implements IQueryHandler<ListChecklistTemplatesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly checklists: ChecklistsRepository,
  ) {}

  execute({ tenantId, page }: ListChecklistTemplatesQuery): Promise<Page<ChecklistTemplateView>> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => toPage(await this.checklists.templates(tx, { limit: page.limit, after }), page.limit, (t) => [t.createdAt, t.id]));
  }
}
