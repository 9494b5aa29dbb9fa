import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class DeletePolicyCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly policyId: string,
  ) {
    super();
  }
}
