import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../database/command-context';

/** Removes a flag's rule: it answers its declared default again. */
export class DeleteFeatureFlagCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly name: string,
  ) {
    super();
  }
}
