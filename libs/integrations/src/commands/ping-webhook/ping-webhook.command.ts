import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export interface PingResult {
  ok: boolean;
  /** The receiver's HTTP status; null when it could not be reached (see `error`). */
  status: number | null;
  durationMs: number;
  responseBody: string | null;
  error: string | null;
}

/** A signed test delivery (`webhook.ping`) sent now, answering what the receiver said. Not logged. */
export class PingWebhookCommand extends Command<PingResult> {
  constructor(
    readonly context: CommandContext,
    readonly endpointId: string,
  ) {
    super();
  }
}
