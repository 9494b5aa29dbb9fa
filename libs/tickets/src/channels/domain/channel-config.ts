import type { SmtpSettings } from '../adapters/email.adapter';

/** The secret part of a channel's configuration: encrypted at rest, never returned by a route. */
export interface ChannelSecrets {
  /** Authenticates the inbound webhook (as a token, or as the HMAC key of a signature). */
  webhookSecret: string;
  /** Email: the tenant's own SMTP server; absent, the platform default. */
  smtp?: SmtpSettings;
}
