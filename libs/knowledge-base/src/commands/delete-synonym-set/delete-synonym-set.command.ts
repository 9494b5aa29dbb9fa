import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** Deletes a synonym set; its terms stop expanding searches at once. */
export class DeleteSynonymSetCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly synonymSetId: string,
  ) {
    super();
  }
}
