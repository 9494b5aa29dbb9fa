import { Inject, Optional } from '@nestjs/common';
import { TICKET_TRIGGERS, type TicketTriggers } from '../../triggers/ticket-triggers';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { GroupsRepository } from '../../repositories/groups.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { applyTicketChanges } from '../update-ticket/update-ticket.handler';
import { BulkUpdateTicketsCommand } from './bulk-update-tickets.command';

/**
 * One transaction for the whole batch: if any ticket is missing or refuses the change (a closed
 * ticket, a forbidden transition), nothing changes and the answer names every ticket at fault.
 */
@CommandHandler(BulkUpdateTicketsCommand)
export class BulkUpdateTicketsHandler implements ICommandHandler<BulkUpdateTicketsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly groups: GroupsRepository,
    /** Absent in unit specs; the module always provides it (triggers run in the same transaction, ADR 0046). */
    @Optional() @Inject(TICKET_TRIGGERS) private readonly triggers?: TicketTriggers,
  ) {}

  execute({ context, ticketIds, changes }: BulkUpdateTicketsCommand): Promise<TicketView[]> {
    // Ids in one letter case (as the database spells them), so that sorting orders them the same
    // way in every batch and the answer finds each ticket by the id it was asked for.
    const ids = ticketIds.map((id) => id.toLowerCase());
    return this.tx.run(context, async (tx) => {
      const from = tx.events.length;
      const updated: TicketView[] = [];
      const failures: { field: string; message: string }[] = [];
      // Sorted, so two overlapping batches lock their tickets in the same order and never deadlock.
      for (const id of [...ids].sort()) {
        try {
          updated.push(await applyTicketChanges(tx, { queries: this.queries, tickets: this.tickets, groups: this.groups }, id, changes, null));
        } catch (error) {
          if (!(error instanceof ProblemException) || error.problem.status >= 500) throw error;
          failures.push({ field: `ids[${ids.indexOf(id)}]`, message: `${id}: ${error.problem.detail}` });
        }
      }
      if (failures.length > 0) {
        throw new ProblemException({
          status: 422,
          type: 'bulk-update-refused',
          title: 'Unprocessable Content',
          detail: `${failures.length} of ${ticketIds.length} tickets refused the change, so none was changed.`,
          errors: failures,
        });
      }
      // Each ticket's triggers, over what the batch changed on it; the answer shows what they did.
      const fired = await this.triggers?.afterCommand(tx, from);
      for (const [i, t] of updated.entries()) if (fired?.get(t.id)?.firings.length) updated[i] = (await this.tickets.find(tx, t.id))!;
      const byId = new Map(updated.map((t) => [t.id, t]));
      return ids.map((id) => byId.get(id)!);
    });
  }
}
