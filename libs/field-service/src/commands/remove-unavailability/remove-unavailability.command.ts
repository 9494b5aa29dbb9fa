import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class RemoveUnavailabilityCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly technicianId: string,
    readonly unavailabilityId: string,
  ) {
    super();
  }
}
