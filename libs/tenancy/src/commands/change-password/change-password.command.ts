import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** A new password for the signed-in user; every other session of theirs (in every tenant) ends. */
export class ChangePasswordCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly currentSessionId: string | null,
    readonly currentPassword: string,
    readonly newPassword: string,
  ) {
    super();
  }
}
