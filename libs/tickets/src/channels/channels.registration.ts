import { consoleEvent, defineConfig, defineFeatureFlag, defineRateLimit, defineEvent, defineJob, defineSchedule, type ConfigOf, type QueueDefinition } from '@switchboard/platform';
import { z } from 'zod';
import type { DeliveryStatus } from './domain/channel-kinds';
import { CSAT_CONFIG_SHAPE } from '../domain/csat-config';

/**
 * What the channels part of the tickets context registers with the platform (spread into
 * `ticketsContext` in tickets.context.ts): its event, queues, jobs, schedule and configuration.
 */

/** A public reply's delivery moved (queued, sending, sent, delivered, failed); consoles show it on the message. */
export const ChannelDeliveryUpdated = defineEvent<{
  deliveryId: string;
  messageId: string;
  channelId: string;
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
}>()('tickets.channel_delivery_updated', { aggregate: 'ticket' });

export const ChannelInboundQueue: QueueDefinition = { name: 'channel-inbound', description: 'Inbound channel messages (email) parsed, threaded and stored as ticket messages, paced per sender' };
export const ChannelDeliveryQueue: QueueDefinition = { name: 'channel-delivery', description: 'Public agent replies delivered through their conversation’s channel, with retries and a dead-letter list' };

export const ProcessInbound = defineJob<{ tenantId: string; inboundId: string }>()(ChannelInboundQueue, 'channels.process-inbound');
export const DeliverMessage = defineJob<{ tenantId: string; deliveryId: string }>()(ChannelDeliveryQueue, 'channels.deliver');
export const SweepChannels = defineJob<Record<string, never>>()(ChannelDeliveryQueue, 'channels.sweep');
/** How far ahead the sweep queues paced inbound mail and retries (each runs at its own instant). */
export const CHANNEL_SWEEP_LOOKAHEAD_MS = 30_000;
export const ChannelsSweep = defineSchedule({
  id: 'tickets.channels-sweep',
  job: SweepChannels,
  every: 10_000,
  description: 'Inbound mail and deliveries due within 30 s queued for their instant (Postgres holds them; Redis may lose its delayed jobs); interrupted sends dead-lettered',
});

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The tickets context's configuration: channels' variables and CSAT's (domain/csat-config.ts). */
export const channelsConfig = defineConfig('channels', {
  ...CSAT_CONFIG_SHAPE,
  /** `kid:base64key` pairs (32-byte AES-256-GCM keys), comma-separated; the first encrypts. Unset: a key generated into platform_secrets. */
  CHANNELS_ENCRYPTION_KEYS: z
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
  /** The platform's default outbound SMTP server for email channels without their own: smtp(s)://user:pass@host:port. Unset: replies are written to DATA_DIR/mail/channels/*.eml. */
  CHANNELS_SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://user:pass@host:587 or smtps://…').optional(),
  /** The domain in the Message-IDs Switchboard writes. */
  CHANNELS_MAIL_DOMAIN: z.string().regex(/^[a-z0-9.-]+$/i, 'expected a domain name').default('switchboard.localhost'),
  /** When set, the api also listens for SMTP on this port (a domain's MX can point at it). */
  CHANNELS_SMTP_LISTEN_PORT: int(1, 65535).optional(),
  CHANNELS_SMTP_LISTEN_HOST: z.string().min(1).default('0.0.0.0'),
  /** Largest inbound message (raw MIME, attachments included) accepted by the webhook and the SMTP listener. */
  CHANNELS_INBOUND_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(25 * 1024 * 1024),
  /** Inbound mail of one sender on one channel processed per minute; more waits its turn (nothing is dropped). */
  CHANNELS_INBOUND_SENDER_PER_MINUTE: int(1, 100_000).default(30),
  /** How many of one sender's mails may be processed at once before pacing starts. */
  CHANNELS_INBOUND_SENDER_BURST: int(1, 100_000).default(20),
  /** Signed webhooks older (or newer) than this are refused as replays. */
  CHANNELS_WEBHOOK_TOLERANCE_SECONDS: int(10, 86_400).default(300),
  CHANNELS_DELIVERY_MAX_ATTEMPTS: int(1, 50).default(6),
  CHANNELS_DELIVERY_BASE_DELAY_MS: int(10, 3_600_000).default(30_000),
  CHANNELS_DELIVERY_MAX_DELAY_MS: int(100, 86_400_000).default(3_600_000),
  CHANNELS_SMTP_TIMEOUT_MS: int(100, 300_000).default(30_000),
  /** Whether a tenant may send through an SMTP server on a loopback/private address (a local relay, the test sink). */
  CHANNELS_ALLOW_PRIVATE_SMTP: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(false),
  /** Telegram's Bot API base URL (a self-hosted Bot API server, or a fake one in tests). */
  CHANNELS_TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),
  /** The WhatsApp Cloud API's base URL, with its version. */
  CHANNELS_WHATSAPP_API_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
  /** Whether the chat provider APIs may live on a loopback/private address (a self-hosted Bot API server, the test fakes). */
  CHANNELS_ALLOW_PRIVATE_CHAT_API: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(false),
  /** The longest a provider's retry hint (Telegram's retry_after) may hold a delivery back; longer hints are capped. */
  CHANNELS_RETRY_AFTER_MAX_MS: int(0, 86_400_000).default(300_000),
  /** Largest file downloaded from a chat provider into a ticket attachment; larger ones are left out and noted. */
  CHANNELS_CHAT_FILE_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(20 * 1024 * 1024),
  CHANNELS_CHAT_API_TIMEOUT_MS: int(100, 300_000).default(30_000),
  /** Requests per IP and minute on the public contact form (a burst guard; the hourly submission limit is the tenant's setting). */
  RATE_LIMIT_CONTACT_FORM_PER_MINUTE: int(1, 1_000_000).default(30),
  /** Requests per IP and minute on the web chat widget's public routes (config, sessions, messages). */
  RATE_LIMIT_WIDGET_PER_MINUTE: int(1, 1_000_000).default(60),
  /** How long a web chat visitor's token (and so their conversation) stays usable after it was issued. */
  CHANNELS_WIDGET_SESSION_TTL_HOURS: int(1, 24 * 365).default(720),
  /** How long a contact form stays valid after it was fetched. */
  CHANNELS_FORM_MAX_AGE_SECONDS: int(60, 7 * 86_400).default(86_400),
});
export type ChannelsConfig = ConfigOf<typeof channelsConfig>;

export const ContactFormRateLimit = defineRateLimit({ name: 'contact-form', perMinute: 'RATE_LIMIT_CONTACT_FORM_PER_MINUTE', label: 'per IP on the contact form' });

export const WidgetRateLimit = defineRateLimit({ name: 'widget', perMinute: 'RATE_LIMIT_WIDGET_PER_MINUTE', label: 'per IP on the web chat widget' });

export const CHANNEL_EVENTS = [ChannelDeliveryUpdated];
export const CHANNEL_QUEUES = [ChannelInboundQueue, ChannelDeliveryQueue];
export const CHANNEL_JOBS = [ProcessInbound, DeliverMessage, SweepChannels];
export const CHANNEL_SCHEDULES = [ChannelsSweep];
export const CHANNEL_CONSOLE_EVENTS = [
  consoleEvent(ChannelDeliveryUpdated, 'ticket.message_delivery', ({ aggregateId, payload }) => ({ ...payload, ticketId: aggregateId })),
];

/**
 * On: a contact without a language gets the one their first inbound message is written in (tinyld,
 * or the chat app's hint). Tenants whose customers write in a language other than the one they
 * want replies in turn it off, so templates and replies follow the tenant's locale.
 */
export const LearnContactLanguage = defineFeatureFlag('tickets.learn-contact-language', {
  description: 'Set a new contact’s language from their first inbound message (detected, or the chat app’s hint)',
  default: true,
});

export const CHANNEL_FEATURE_FLAGS = [LearnContactLanguage];

