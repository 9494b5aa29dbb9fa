import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { JobDetail } from '../../repositories/job-detail.reader';

/** Completes or cancels a job; either way it is closed for good. */
export class CloseJobCommand extends Command<JobDetail> {
  constructor(
    readonly context: CommandContext,
    readonly jobId: string,
    readonly outcome: 'completed' | 'cancelled',
  ) {
    super();
  }
}
