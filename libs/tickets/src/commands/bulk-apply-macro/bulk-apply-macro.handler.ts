import { Inject, Optional } from '@nestjs/common';
import { TICKET_TRIGGERS, type TicketTriggers } from '../../triggers/ticket-triggers';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, PROBLEM_TYPE_BASE, ProblemException, TenantTransaction } from '@switchboard/platform';
import { ChecklistsRepository } from '../../repositories/checklists.repository';
import { GroupsRepository } from '../../repositories/groups.repository';
import { MacrosRepository } from '../../repositories/macros.repository';
import { MessagesRepository } from '../../repositories/messages.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { applyMacro } from '../apply-macro/apply-macro.handler';
import { BulkApplyMacroCommand, MAX_BULK_MACRO_TICKETS, type BulkMacroResult } from './bulk-apply-macro.command';
import { ChannelsRepository } from '../../channels/repositories/channels.repository';

/**
 * A macro on many tickets: one transaction per ticket, in the order given, so a ticket that refuses
 * (closed, missing, an assignee rule) is reported and the rest still get the macro. A macro that
 * cannot run at all (missing, switched off, broken) is one problem for the whole request.
 */
@CommandHandler(BulkApplyMacroCommand)
export class BulkApplyMacroHandler implements ICommandHandler<BulkApplyMacroCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly groups: GroupsRepository,
    private readonly checklists: ChecklistsRepository,
    private readonly macros: MacrosRepository,
    private readonly channels: ChannelsRepository,
    /** Absent in unit specs; the module always provides it (triggers run in the same transaction, ADR 0046). */
    @Optional() @Inject(TICKET_TRIGGERS) private readonly triggers?: TicketTriggers,
  ) {}

  async execute({ context, macroId, ticketIds, agent }: BulkApplyMacroCommand): Promise<BulkMacroResult[]> {
    const ids = [...new Set(ticketIds.map((id) => id.toLowerCase()))];
    if (ids.length === 0 || ids.length > MAX_BULK_MACRO_TICKETS) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `Send 1 to ${MAX_BULK_MACRO_TICKETS} ticket ids.`, errors: [{ field: 'ticketIds', message: `must hold 1 to ${MAX_BULK_MACRO_TICKETS} ids` }] });
    }
    const deps = { queries: this.queries, tickets: this.tickets, messages: this.messages, groups: this.groups, checklists: this.checklists, macros: this.macros, channels: this.channels };
    // The macro itself first: missing, off or broken refuses the request, not each ticket.
    await this.tx.run(context, async (tx) => {
      const macro = await this.macros.find(tx, macroId);
      if (!macro) throw notFound('Macro', macroId);
    });
    const results: BulkMacroResult[] = [];
    for (const ticketId of ids) {
      try {
        const applied = await this.tx.run(context, async (tx) => {
          const from = tx.events.length;
          const done = await applyMacro(tx, deps, ticketId, macroId, agent, null);
          const fired = await this.triggers?.afterCommand(tx, from);
          return fired?.get(done.ticket.id)?.firings.length ? { ...done, ticket: (await this.tickets.find(tx, done.ticket.id))! } : done;
        });
        results.push({ ticketId, status: 200, ticket: applied.ticket, problem: null });
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        const { status, type, title, detail } = error.problem;
        if (type === 'macro-broken' || type === 'macro-inactive') throw error;
        results.push({ ticketId, status, ticket: null, problem: { type: `${PROBLEM_TYPE_BASE}${type}`, title, detail } });
      }
    }
    return results;
  }
}
