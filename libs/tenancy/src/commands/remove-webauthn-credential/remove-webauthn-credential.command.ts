import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class RemoveWebAuthnCredentialCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly credentialId: string,
  ) {
    super();
  }
}
