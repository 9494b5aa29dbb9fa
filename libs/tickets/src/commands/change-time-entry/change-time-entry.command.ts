import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TimeEntryFields, TimeEntryView } from '../../repositories/time.sql';

export class ChangeTimeEntryCommand extends Command<TimeEntryView | null> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly entryId: string,
    /** The fields to change; null deletes the entry. */
    readonly changes: Partial<TimeEntryFields> | null,
    readonly canManageOthers: boolean,
    /** null: any current version (no If-Match, or `*`). */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
