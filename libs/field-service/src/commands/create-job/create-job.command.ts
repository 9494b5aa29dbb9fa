import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { JobDetail } from '../../repositories/job-detail.reader';

export interface CreateJobInput {
  contactId: string;
  addressId: string;
  ticketId?: string | null;
  title: string;
  description?: string | null;
}

export class CreateJobCommand extends Command<JobDetail> {
  constructor(
    readonly context: CommandContext,
    readonly input: CreateJobInput,
  ) {
    super();
  }
}
