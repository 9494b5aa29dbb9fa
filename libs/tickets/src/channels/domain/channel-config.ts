import type { SmtpSettings } from '../adapters/email.adapter';

/** The secret part of a channel's configuration: encrypted at rest, never returned by a route. */
export interface ChannelSecrets {
  /** Authenticates the inbound webhook (as a token, or as the HMAC key of a signature). Telegram: the secret_token given to setWebhook. */
  webhookSecret: string;
  /** Email: the tenant's own SMTP server; absent, the platform default. */
  smtp?: SmtpSettings;
  /** Telegram: the bot's token from @BotFather. */
  botToken?: string;
  /** WhatsApp: the Cloud API access token, the app secret that signs webhooks (X-Hub-Signature-256), and the sending number's id. */
  whatsapp?: { accessToken: string; appSecret: string; phoneNumberId: string };
}

/** Channel kinds whose conversations are chats with one contact id (no subject, no Message-ID threading). */
export const CHAT_KINDS = ['telegram', 'whatsapp'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];
export const isChatKind = (kind: string): kind is ChatKind => (CHAT_KINDS as readonly string[]).includes(kind);
