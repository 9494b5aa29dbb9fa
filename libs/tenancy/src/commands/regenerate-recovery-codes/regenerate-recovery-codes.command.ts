import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** Ten new recovery codes (shown once); the old ones stop working. */
export class RegenerateRecoveryCodesCommand extends Command<{ recoveryCodes: string[] }> {
  constructor(
    readonly context: CommandContext,
    readonly password: string,
  ) {
    super();
  }
}
