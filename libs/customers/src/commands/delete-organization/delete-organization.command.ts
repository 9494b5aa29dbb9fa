import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class DeleteOrganizationCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly organizationId: string,
  ) {
    super();
  }
}
