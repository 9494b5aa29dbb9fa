import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { planMacroRun, runnableMacro } from '../../commands/apply-macro/macro-run';
import { GroupsRepository } from '../../repositories/groups.repository';
import { MacrosRepository } from '../../repositories/macros.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import type { FieldDelta } from '../../tickets.context';
import { PreviewMacroQuery, type MacroPreview } from './preview-macro.query';

const PREVIEWED_FIELDS = ['status', 'priority', 'type', 'groupId', 'assigneeId', 'tags'] as const satisfies readonly (keyof TicketView)[];

/** The same checks and plan as apply, read-only: no lock, no write, no event. */
@QueryHandler(PreviewMacroQuery)
export class PreviewMacroHandler implements IQueryHandler<PreviewMacroQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly groups: GroupsRepository,
    private readonly macros: MacrosRepository,
  ) {}

  execute({ tenantId, ticketId, macroId, agent }: PreviewMacroQuery): Promise<MacroPreview> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const ticket = await this.tickets.find(tx, ticketId);
      if (!ticket) throw notFound('Ticket', ticketId);
      const macro = await runnableMacro(tx, this.macros, macroId);
      const plan = await planMacroRun(tx, { queries: this.queries, macros: this.macros, groups: this.groups }, ticket, macro, agent);
      const delta: FieldDelta = {};
      for (const f of PREVIEWED_FIELDS) if (JSON.stringify(ticket[f]) !== JSON.stringify(plan.ticket[f])) delta[f] = { from: ticket[f], to: plan.ticket[f] };
      return { ticket: plan.ticket, delta, messages: plan.messages, checklists: plan.checklists, macro: { id: macro.id, name: macro.name, version: macro.version } };
    });
  }
}
