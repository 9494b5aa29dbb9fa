import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** Ends one of the signed-in user's own sessions in this tenant (its access tokens stop at once). */
export class RevokeSessionCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly sessionId: string,
  ) {
    super();
  }
}
