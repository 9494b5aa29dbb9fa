import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { LeadView } from '../../repositories/leads.sql';

/** A lead that will not become work (spam, out of area, a duplicate). */
export class DismissLeadCommand extends Command<LeadView> {
  constructor(
    readonly context: CommandContext,
    readonly leadId: string,
    readonly reason: string | null,
  ) {
    super();
  }
}
