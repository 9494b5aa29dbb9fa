import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { VisitView } from '../../repositories/visits.sql';

export interface RescheduleVisitInput {
  scheduledStart: string;
  /** Keeps the visit's length when absent. */
  durationMinutes?: number;
  arrivalWindowStart?: string | null;
  arrivalWindowEnd?: string | null;
}

export class RescheduleVisitCommand extends Command<VisitView> {
  constructor(
    readonly context: CommandContext,
    readonly visitId: string,
    readonly input: RescheduleVisitInput,
    readonly now: Date = new Date(),
  ) {
    super();
  }
}
