import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { VisitView } from '../../repositories/visits.sql';

export class AssignVisitCommand extends Command<VisitView> {
  constructor(
    readonly context: CommandContext,
    readonly visitId: string,
    /** null unassigns. */
    readonly technicianId: string | null,
  ) {
    super();
  }
}
