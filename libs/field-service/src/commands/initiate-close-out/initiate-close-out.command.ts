import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { CloseOutView } from '../../repositories/close-outs.sql';

export interface InitiateCloseOutInput {
  /** The time on the job the technician confirms. */
  durationMinutes: number;
  notes: string;
}

/** The first step of closing a job out: notes and duration stored with the AI's suggestions, nothing applied yet. */
export class InitiateCloseOutCommand extends Command<CloseOutView> {
  constructor(
    readonly context: CommandContext,
    readonly jobId: string,
    readonly input: InitiateCloseOutInput,
  ) {
    super();
  }
}
