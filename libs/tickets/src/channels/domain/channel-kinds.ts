/** Every kind of channel the model knows; email (ADR 0034), Telegram and WhatsApp (ADR 0039) have adapters. */
export const CHANNEL_KINDS = ['email', 'telegram', 'whatsapp', 'web'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const CHANNEL_STATUSES = ['active', 'disabled'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const INBOUND_STATUSES = ['pending', 'processing', 'processed', 'ignored', 'failed'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

/** What an inbound message is, decided before it may touch a ticket. */
export type InboundClassification = 'message' | 'auto_reply' | 'bounce' | 'delivery_report' | 'loop';
