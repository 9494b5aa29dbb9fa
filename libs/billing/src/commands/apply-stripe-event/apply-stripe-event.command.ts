import { Command } from '@nestjs/cqrs';

export interface StripeWebhookOutcome {
  received: true;
  /** Whether this delivery changed what we keep (false: duplicate, unused type, or older than our state). */
  applied: boolean;
  reason: string | null;
}

/**
 * A Stripe webhook delivery: the signature is verified on the raw body (with the timestamp
 * tolerance) before anything is read; applied once per event id, never moving state backwards.
 */
export class ApplyStripeEventCommand extends Command<StripeWebhookOutcome> {
  constructor(
    readonly rawBody: Buffer,
    readonly signature: string | undefined,
    readonly correlationId: string | null,
  ) {
    super();
  }
}
