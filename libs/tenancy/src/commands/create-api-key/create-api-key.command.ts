import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ApiKeyView } from '../../repositories/api-keys.sql';

export class CreateApiKeyCommand extends Command<ApiKeyView & { key: string }> {
  constructor(
    readonly context: CommandContext,
    readonly name: string,
    readonly scopes: string[],
  ) {
    super();
  }
}
