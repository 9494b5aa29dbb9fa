import { Command } from '@nestjs/cqrs';
import type { Session } from '../../auth/session-issuer';

export class RefreshSessionCommand extends Command<Session> {
  constructor(
    readonly refreshToken: string,
    readonly requestId: string | null,
  ) {
    super();
  }
}
