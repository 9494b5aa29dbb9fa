import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TimeEntryView } from '../../repositories/time.sql';

export interface TimeEntryInput {
  minutes: number;
  activityType?: string;
  billable?: boolean;
  note?: string | null;
  /** When the work happened; default now. */
  workedAt?: string;
  /** Whose time it is; default the caller. Someone else's needs `canManageOthers`; an API key must name one. */
  userId?: string;
}

export class LogTimeCommand extends Command<TimeEntryView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly input: TimeEntryInput,
    /** The caller may record and change other people's time (owners and admins). */
    readonly canManageOthers: boolean,
  ) {
    super();
  }
}
