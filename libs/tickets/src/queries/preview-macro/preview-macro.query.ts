import { Query } from '@nestjs/cqrs';
import type { PlannedChecklist, PlannedMessage } from '../../domain/macros';
import type { TicketView } from '../../repositories/tickets.sql';
import type { MacroAgent } from '../../commands/apply-macro/apply-macro.command';
import type { FieldDelta } from '../../tickets.context';

export interface MacroPreview {
  /** The ticket as apply would leave it; `version` is its current one, the If-Match apply needs. */
  ticket: TicketView;
  /** The fields apply would change, each with its current and resulting value. */
  delta: FieldDelta;
  messages: PlannedMessage[];
  checklists: PlannedChecklist[];
  macro: { id: string; name: string; version: number };
}

/** What a macro would do to a ticket, with nothing written. */
export class PreviewMacroQuery extends Query<MacroPreview> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly macroId: string,
    readonly agent: MacroAgent,
  ) {
    super();
  }
}
