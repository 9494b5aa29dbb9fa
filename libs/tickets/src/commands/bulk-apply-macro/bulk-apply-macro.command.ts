import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MacroAgent } from '../apply-macro/apply-macro.command';
import type { TicketView } from '../../repositories/tickets.sql';

export const MAX_BULK_MACRO_TICKETS = 100;

/** One ticket's outcome: applied (with the ticket after it), or the problem that refused it. */
export interface BulkMacroResult {
  ticketId: string;
  status: number;
  ticket: TicketView | null;
  problem: { type: string; title: string; detail: string } | null;
}

/** Runs a macro on up to 100 tickets, each on its own (one ticket's refusal leaves the others applied). */
export class BulkApplyMacroCommand extends Command<BulkMacroResult[]> {
  constructor(
    readonly context: CommandContext,
    readonly macroId: string,
    readonly ticketIds: string[],
    readonly agent: MacroAgent,
  ) {
    super();
  }
}
