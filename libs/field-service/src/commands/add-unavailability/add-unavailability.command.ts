import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { UnavailabilityView } from '../../repositories/availability.sql';

export interface AddUnavailabilityInput {
  start: string;
  end: string;
  reason: string;
}

export class AddUnavailabilityCommand extends Command<UnavailabilityView> {
  constructor(
    readonly context: CommandContext,
    readonly technicianId: string,
    readonly input: AddUnavailabilityInput,
  ) {
    super();
  }
}
