import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { LeadView } from '../../repositories/leads.sql';

/** Reads the lead's notes through the AI gateway into suggested fields, stored beside what was typed, applied to nothing. */
export class SuggestLeadCommand extends Command<LeadView> {
  constructor(
    readonly context: CommandContext,
    readonly leadId: string,
  ) {
    super();
  }
}
