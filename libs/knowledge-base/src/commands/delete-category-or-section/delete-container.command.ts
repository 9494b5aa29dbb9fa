import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** Deletes an empty category or section; one that still holds sections or articles is a 409. */
export class DeleteContainerCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly kind: 'category' | 'section',
    readonly id: string,
  ) {
    super();
  }
}
