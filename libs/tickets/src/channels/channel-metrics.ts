import { Injectable } from '@nestjs/common';
import { Metrics } from '@switchboard/platform';
import { Counter } from 'prom-client';

export type WebhookOutcome = 'accepted' | 'unauthorized' | 'duplicate' | 'parse_error' | 'ignored' | 'status';

/**
 * Per-channel webhook counters. The channel label is only ever a channel that exists (a request
 * naming an unknown id counts under "unknown"), so callers cannot grow the series without bound.
 */
@Injectable()
export class ChannelMetrics {
  private readonly webhooks: Counter<'channel_id' | 'kind' | 'outcome'>;

  constructor(metrics: Metrics) {
    this.webhooks = new Counter({
      name: 'channel_webhook_updates_total',
      help: 'Inbound chat-channel webhook updates by channel, kind and outcome (accepted, unauthorized, duplicate, parse_error, ignored, status)',
      labelNames: ['channel_id', 'kind', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }

  webhook(channelId: string | null, kind: string, outcome: WebhookOutcome, count = 1): void {
    if (count > 0) this.webhooks.inc({ channel_id: channelId ?? 'unknown', kind, outcome }, count);
  }
}
