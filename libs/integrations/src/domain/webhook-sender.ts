import { Inject, Injectable } from '@nestjs/common';
import { createSafeFetch, OutboundRefusedError, OutboundTimeoutError } from '@switchboard/platform';
import { integrationsConfig, type IntegrationsConfig } from '../integrations.context';
import { parseRetryAfter } from './backoff';
import { isLoopbackHost } from './endpoint-url';
import { signatureHeader } from './signing';

/** How much of a receiver's answer the delivery log keeps. */
export const RESPONSE_BODY_LIMIT = 2048;

export interface WebhookMessage {
  /** `Webhook-Id`: the delivery id, the same on every retry (receivers dedupe on it). */
  id: string;
  eventType: string;
  body: string;
}

export interface SendResult {
  ok: boolean;
  status: number | null;
  body: string | null;
  durationMs: number;
  error: string | null;
  retryAfterMs: number | null;
  /** Not worth retrying: the destination is refused by the outbound policy. */
  refused: boolean;
}

/**
 * One signed POST through the platform's safe fetch: the host resolved once and checked against
 * the outbound policy (no private, loopback or link-local targets), redirects never followed (a
 * 3xx is a failed attempt), a timeout over the whole exchange, and only the first 2 KB of the
 * answer read. Loopback is reachable only with the test-only WEBHOOKS_ALLOW_LOOPBACK_HTTP and
 * only for a loopback literal URL.
 */
@Injectable()
export class WebhookSender {
  private readonly strict: typeof fetch;
  private readonly loopback: typeof fetch;

  constructor(@Inject(integrationsConfig.token) private readonly config: IntegrationsConfig) {
    const options = { timeoutMs: config.WEBHOOKS_TIMEOUT_MS, connectTimeoutMs: config.WEBHOOKS_TIMEOUT_MS, maxResponseBytes: 1024 * 1024 };
    this.strict = createSafeFetch(options);
    this.loopback = createSafeFetch({ ...options, allowPrivate: true });
  }

  async send(url: string, secrets: readonly string[], message: WebhookMessage): Promise<SendResult> {
    const started = Date.now();
    const timestamp = Math.floor(started / 1000);
    const target = new URL(url);
    const fetcher = this.config.WEBHOOKS_ALLOW_LOOPBACK_HTTP && isLoopbackHost(target) ? this.loopback : this.strict;
    try {
      const response = await fetcher(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          'webhook-id': message.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(secrets, message.id, timestamp, message.body),
          'webhook-event-type': message.eventType,
        },
        body: message.body,
        redirect: 'manual',
      });
      const body = await readPrefix(response, RESPONSE_BODY_LIMIT).catch(() => null);
      const ok = response.status >= 200 && response.status < 300;
      return {
        ok,
        status: response.status,
        body,
        durationMs: Date.now() - started,
        error: ok ? null : response.status >= 300 && response.status < 400 ? `answered ${response.status} (redirects are not followed)` : `answered ${response.status}`,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        refused: false,
      };
    } catch (error) {
      const text = error instanceof OutboundTimeoutError ? `timed out after ${this.config.WEBHOOKS_TIMEOUT_MS} ms` : error instanceof Error ? error.message : String(error);
      return { ok: false, status: null, body: null, durationMs: Date.now() - started, error: text.slice(0, 1000), retryAfterMs: null, refused: error instanceof OutboundRefusedError };
    }
  }
}

/** The first `limit` bytes of a body as text, then the rest is dropped unread. */
async function readPrefix(response: Response, limit: number): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => undefined);
  const text = Buffer.concat(chunks).subarray(0, limit).toString('utf8');
  // A cut through a multi-byte character leaves a replacement character; drop it.
  return text.replace(/\uFFFD$/, '');
}
