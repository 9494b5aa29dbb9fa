import { defineConfig, defineContext, defineEvent, defineJob, defineSchedule, type ConfigOf, type QueueDefinition } from '@switchboard/platform';
import { z } from 'zod';

/** An endpoint as events and the audit log carry it: never its secret. */
export type WebhookEndpointSnapshot = {
  url: string;
  description: string | null;
  eventTypes: string[];
  active: boolean;
};

export const WebhookEndpointCreated = defineEvent<{ endpoint: WebhookEndpointSnapshot }>()('integrations.webhook_endpoint_created', { aggregate: 'webhook_endpoint' });
export const WebhookEndpointUpdated = defineEvent<{ endpoint: WebhookEndpointSnapshot; version: number }>()('integrations.webhook_endpoint_updated', { aggregate: 'webhook_endpoint' });
export const WebhookEndpointDeleted = defineEvent<Record<string, never>>()('integrations.webhook_endpoint_deleted', { aggregate: 'webhook_endpoint' });
export const WebhookSecretRotated = defineEvent<{ previousValidUntil: string }>()('integrations.webhook_secret_rotated', { aggregate: 'webhook_endpoint' });
/** The platform turned an endpoint off: it answered 410 Gone, or every attempt failed for the disable window. */
export const WebhookEndpointDisabled = defineEvent<{ reason: string }>()('integrations.webhook_endpoint_disabled', { aggregate: 'webhook_endpoint' });

export const WebhooksQueue: QueueDefinition = { name: 'webhooks', description: 'Signed outbound webhooks delivered to tenant endpoints, with retries and a delivery log' };

export const DeliverWebhook = defineJob<{ tenantId: string; deliveryId: string }>()(WebhooksQueue, 'webhooks.deliver');
export const SweepWebhooks = defineJob<Record<string, never>>()(WebhooksQueue, 'webhooks.sweep');
export const PruneWebhookLog = defineJob<Record<string, never>>()(WebhooksQueue, 'webhooks.prune-log');
/** How far ahead the sweep queues retries (each then runs at its own instant). */
export const WEBHOOK_SWEEP_LOOKAHEAD_MS = 30_000;
export const WebhooksSweep = defineSchedule({
  id: 'integrations.webhooks-sweep',
  job: SweepWebhooks,
  every: 10_000,
  description: 'Webhook deliveries due within 30 s queued for their instant (Postgres holds them; Redis may lose its delayed jobs); interrupted sends put back',
});

/** Settled deliveries (their bodies carry the events' data) are kept this long. */
export const WEBHOOK_LOG_RETENTION_DAYS = 30;
export const WebhookLogRetention = defineSchedule({
  id: 'integrations.webhook-log-retention',
  job: PruneWebhookLog,
  pattern: '41 3 * * *',
  tz: 'UTC',
  description: `Webhook deliveries settled more than ${WEBHOOK_LOG_RETENTION_DAYS} days ago, with the bodies they carried`,
});

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const integrationsConfig = defineConfig('integrations', {
  /** `kid:base64key` pairs (32-byte AES-256-GCM keys), comma-separated; the first encrypts. Unset: a key generated into platform_secrets. */
  WEBHOOKS_ENCRYPTION_KEYS: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$/, 'expected kid:base64key')
          .refine((v) => Buffer.from(v.split(':')[1]!, 'base64').length === 32, 'each key must be 32 bytes (base64 of 32 random bytes)'),
      ),
    )
    .optional(),
  /** One delivery attempt, connection to last byte of the answer. */
  WEBHOOKS_TIMEOUT_MS: int(100, 60_000).default(10_000),
  /** The first retry's delay; each later one doubles it (with jitter), up to WEBHOOKS_RETRY_MAX_DELAY_MS, for 24 h. */
  WEBHOOKS_RETRY_BASE_MS: int(100, 3_600_000).default(30_000),
  WEBHOOKS_RETRY_MAX_DELAY_MS: int(1_000, 24 * 3_600_000).default(6 * 3_600_000),
  /** An endpoint whose every attempt has failed for this long is disabled and its tenant's owners are emailed. */
  WEBHOOKS_DISABLE_AFTER_MS: int(1_000, 30 * 24 * 3_600_000).default(24 * 3_600_000),
  /** Tests only: let endpoints be http://127.0.0.1 / localhost (a receiver on the test machine). Never in production. */
  WEBHOOKS_ALLOW_LOOPBACK_HTTP: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(false),
}, (config) => (config.NODE_ENV === 'production' && config.WEBHOOKS_ALLOW_LOOPBACK_HTTP ? ['WEBHOOKS_ALLOW_LOOPBACK_HTTP: a test-only setting; it may not be on in production'] : []));
export type IntegrationsConfig = ConfigOf<typeof integrationsConfig>;

/** Integrations with the outside world: outbound webhooks (ADR 0043). */
export const integrationsContext = defineContext({
  name: 'integrations',
  events: [WebhookEndpointCreated, WebhookEndpointUpdated, WebhookEndpointDeleted, WebhookSecretRotated, WebhookEndpointDisabled],
  queues: [WebhooksQueue],
  jobs: [DeliverWebhook, SweepWebhooks, PruneWebhookLog],
  schedules: [WebhooksSweep, WebhookLogRetention],
  config: integrationsConfig,
});
