import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TimeEntryView, TimerView } from '../../repositories/time.sql';

export interface StartedTimer {
  timer: TimerView;
  /** The entry the agent's previous timer became (starting a timer stops the running one), if one ran. */
  stopped: TimeEntryView | null;
}

export class StartTimerCommand extends Command<StartedTimer> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly options: { activityType?: string; billable?: boolean; note?: string | null },
  ) {
    super();
  }
}
