import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** Removes every second factor and recovery code of the signed-in user; their other sessions end. */
export class ResetTwoFactorCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly currentSessionId: string | null,
    readonly password: string,
  ) {
    super();
  }
}
