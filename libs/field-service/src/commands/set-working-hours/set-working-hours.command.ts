import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { WorkingHoursView } from '../../repositories/availability.sql';

export interface SetWorkingHoursInput {
  /** IANA time zone of the wall-clock times; the tenant's when absent. */
  timeZone?: string;
  /** Per weekday (mon…sun) a list of {start, end} HH:MM ranges; a day absent is not worked. */
  days: Record<string, unknown>;
}

export class SetWorkingHoursCommand extends Command<WorkingHoursView> {
  constructor(
    readonly context: CommandContext,
    readonly technicianId: string,
    readonly input: SetWorkingHoursInput,
  ) {
    super();
  }
}
