import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TimeEntryView, TimerView } from '../../repositories/time.sql';

export interface StoppedTimer {
  timer: TimerView;
  /** The entry recorded from it; null when discarded. */
  entry: TimeEntryView | null;
  /** True when the timer ran longer than one entry may hold (a day) and was recorded as a day. */
  capped: boolean;
}

export class StopTimerCommand extends Command<StoppedTimer> {
  constructor(
    readonly context: CommandContext,
    /** Throw the running time away instead of recording it. */
    readonly discard: boolean,
  ) {
    super();
  }
}
