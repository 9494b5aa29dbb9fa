import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { VisitView } from '../../repositories/visits.sql';

export class CancelVisitCommand extends Command<VisitView> {
  constructor(
    readonly context: CommandContext,
    readonly visitId: string,
  ) {
    super();
  }
}
