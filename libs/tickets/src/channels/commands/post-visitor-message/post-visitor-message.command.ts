import { Command } from '@nestjs/cqrs';
import type { VisitorMessage } from '../../repositories/widget-sessions.repository';

export class PostVisitorMessageCommand extends Command<VisitorMessage> {
  constructor(
    readonly publicKey: string,
    readonly origin: string | null,
    readonly token: string | null,
    readonly body: string,
    readonly correlationId: string | null,
  ) {
    super();
  }
}
