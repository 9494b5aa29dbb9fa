import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { VisitView } from '../../repositories/visits.sql';

/** Clock in (the visit starts) or clock out (it ends); the times are the server's. */
export class ClockVisitCommand extends Command<VisitView> {
  constructor(
    readonly context: CommandContext,
    readonly visitId: string,
    readonly clock: 'in' | 'out',
  ) {
    super();
  }
}
