import type { Readable } from 'node:stream';
import type { ChannelKind } from '../domain/channel-kinds';

/** One attachment of an inbound message, as bytes (the handler sniffs and stores it). */
export interface InboundAttachment {
  filename: string;
  declaredType: string;
  content: Buffer;
}

/**
 * A provider's inbound message in the channel-neutral shape the threading and ticket code use.
 * `threadKeys` are the ids of earlier messages this one answers (newest first), `tokens` the
 * reply-to tokens found anywhere the adapter knows to look.
 */
export interface InboundMessage {
  externalId: string;
  from: { address: string; name?: string };
  subject: string;
  /** What the customer wrote, quoted history and signature removed. */
  body: string;
  html: string | null;
  threadKeys: string[];
  tokens: string[];
  /** A conversation id some clients keep without References (Outlook's Thread-Index root). */
  conversationKey: string | null;
  classification: import('../domain/channel-kinds').InboundClassification;
  /** For bounces and delivery reports: the message ids they report on, the failed recipients, and why. */
  report?: { messageIds: string[]; recipients: string[]; action: 'failed' | 'delivered' | 'delayed'; reason: string | null };
  attachments: InboundAttachment[];
  /** Every address the message was sent to (To, Cc, Delivered-To). */
  recipients: string[];
  /**
   * Chat channels: who wrote (the contact's identity with the provider) and the language their app
   * reports; `from.address` is then the chat that replies go to.
   */
  chat?: { channel: 'telegram' | 'whatsapp'; externalId: string; language: string | null };
  /** Notes for agents about what could not be kept (a file over the size limit). */
  notes?: string[];
}

/** An agent's reply, ready to leave through a channel. */
export interface OutboundMessage {
  to: { address: string; name?: string };
  subject: string;
  text: string;
  html: string | null;
  /** The id this message carries (stored before the attempt, so a retry reuses it). */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  replyTo: string | null;
  threadIndex: string | null;
  /** `open` reads the stored file when the message is sent (never inside a database transaction); `key` names it among the message's parts. */
  attachments: { filename: string; contentType: string; open: () => Promise<Readable>; key?: string }[];
  /**
   * Adapters that send a message as several provider messages (Telegram: the text, then each file)
   * skip the parts already sent by an earlier attempt (part key → provider id) and record each part
   * as it leaves, so a retry never sends one twice.
   */
  parts?: { sent: Readonly<Record<string, string>>; record: (part: string, providerMessageId: string) => Promise<void> };
}

export interface SendResult {
  providerMessageId: string;
}

/** A provider's refusal: `permanent` never retries; `retryAfterMs` is the provider's hint. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/**
 * What each channel kind implements: turn a provider's raw inbound payload into an InboundMessage,
 * and send an OutboundMessage with the channel's decrypted configuration. Telegram, WhatsApp and
 * the web widget plug in here.
 */
export interface ChannelAdapter<Config = unknown> {
  readonly kind: ChannelKind;
  /** `config` is given to adapters that fetch from the provider while parsing (Telegram's files). */
  parseInbound(raw: Buffer, context: { ownAddresses: readonly string[]; config?: Config }): Promise<InboundMessage>;
  send(message: OutboundMessage, config: Config): Promise<SendResult>;
}
