import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class RevokeApiKeyCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly apiKeyId: string,
  ) {
    super();
  }
}
