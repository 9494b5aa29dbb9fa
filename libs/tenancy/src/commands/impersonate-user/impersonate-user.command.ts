import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export interface ImpersonationSession {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; email: string; name: string; role: string };
}

export class ImpersonateUserCommand extends Command<ImpersonationSession> {
  constructor(
    readonly context: CommandContext,
    readonly userId: string,
  ) {
    super();
  }
}
