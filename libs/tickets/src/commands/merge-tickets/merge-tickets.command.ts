import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MergeMoved } from '../../repositories/merges.repository';
import type { TicketView } from '../../repositories/tickets.sql';

export interface TicketsMerged {
  source: TicketView;
  target: TicketView;
  moved: MergeMoved;
}

/** Merges one ticket (the source) into another (the target), which carries on the conversation. */
export class MergeTicketsCommand extends Command<TicketsMerged> {
  constructor(
    readonly context: CommandContext,
    readonly sourceId: string,
    readonly targetId: string,
    /** The source's version from If-Match, when sent; null merges whatever its current version. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
