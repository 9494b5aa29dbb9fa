import { Command } from '@nestjs/cqrs';

/** How the webhook caller proved it knows the channel's secret; SMTP delivery is routed by address instead. */
export type InboundAuth = { kind: 'token'; token: string } | { kind: 'signature'; timestamp: string; signature: string } | { kind: 'smtp' };

export interface AcceptedInbound {
  id: string;
  duplicate: boolean;
  /** When the worker may process it (later than now when its sender is paced). */
  notBefore: string;
}

/**
 * Stores a raw inbound message durably and acknowledges it; the worker threads it later. The
 * tenant comes from the channel, never from the caller.
 */
export class AcceptInboundCommand extends Command<AcceptedInbound> {
  constructor(
    readonly channelId: string,
    readonly raw: Buffer,
    readonly via: 'webhook' | 'smtp',
    readonly auth: InboundAuth,
    readonly correlationId: string | null = null,
  ) {
    super();
  }
}
