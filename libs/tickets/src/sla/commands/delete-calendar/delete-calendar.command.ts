import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class DeleteCalendarCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly calendarId: string,
  ) {
    super();
  }
}
