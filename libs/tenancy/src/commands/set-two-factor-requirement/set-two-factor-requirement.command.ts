import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** An owner requires (or stops requiring) a second factor of every member of the tenant. */
export class SetTwoFactorRequirementCommand extends Command<{ requireTwoFactor: boolean }> {
  constructor(
    readonly context: CommandContext,
    readonly actorRole: string | undefined,
    readonly required: boolean,
  ) {
    super();
  }
}
