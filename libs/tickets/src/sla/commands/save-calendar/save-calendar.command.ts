import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { Holiday, OpeningInterval, Weekday } from '../../domain/business-calendar';
import type { CalendarView } from '../../repositories/calendars.sql';

export interface CalendarInput {
  name?: string;
  timeZone?: string;
  week?: Partial<Record<Weekday, OpeningInterval[]>>;
  holidays?: Holiday[];
}

/** Creates a business calendar (`calendarId` null) or changes one (what the input names replaces what it had). */
export class SaveCalendarCommand extends Command<CalendarView> {
  constructor(
    readonly context: CommandContext,
    readonly calendarId: string | null,
    readonly input: CalendarInput,
    readonly expectedVersion: number | null = null,
  ) {
    super();
  }
}
