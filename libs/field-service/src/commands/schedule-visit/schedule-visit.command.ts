import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { VisitTimingInput } from '../../domain/visit-timing';
import type { VisitView } from '../../repositories/visits.sql';

export interface ScheduleVisitInput extends VisitTimingInput {
  technicianId?: string | null;
}

export class ScheduleVisitCommand extends Command<VisitView> {
  constructor(
    readonly context: CommandContext,
    readonly jobId: string,
    readonly input: ScheduleVisitInput,
    /** The clock the past is judged by (tests pass their own). */
    readonly now: Date = new Date(),
  ) {
    super();
  }
}
