import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { AttributeDecision, NextActionInput } from '../../domain/close-out';
import type { CloseOutView } from '../../repositories/close-outs.sql';

export interface FinalizeCloseOutInput {
  attributes: AttributeDecision[];
  nextAction: NextActionInput;
}

/** The second step: the technician's decision on each attribute and the next action; the job closes. */
export class FinalizeCloseOutCommand extends Command<CloseOutView> {
  constructor(
    readonly context: CommandContext,
    readonly jobId: string,
    readonly input: FinalizeCloseOutInput,
    /** The clock the follow-up date is counted from (tests pass their own). */
    readonly now: Date = new Date(),
  ) {
    super();
  }
}
