import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** Removes the tenant's template for a key and locale; the fallback chain takes over again. */
export class DeleteMessageTemplateCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly key: string,
    readonly locale: string,
  ) {
    super();
  }
}
