import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ChecklistView } from '../../repositories/checklists.sql';
import type { MessageView } from '../../repositories/messages.sql';
import type { TicketView } from '../../repositories/tickets.sql';

/** Who applies the macro, as `{{agent.name}}` and `{{agent.email}}` show them. */
export interface MacroAgent {
  name: string;
  email: string;
}

export interface MacroApplied {
  ticket: TicketView;
  messages: MessageView[];
  checklists: ChecklistView[];
  macro: { id: string; name: string; version: number; usageCount: number };
}

/** Runs a macro on one ticket: all of its actions or none. */
export class ApplyMacroCommand extends Command<MacroApplied> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly macroId: string,
    readonly agent: MacroAgent,
    /** The ticket's version from If-Match (required from HTTP); null is `If-Match: *`. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
