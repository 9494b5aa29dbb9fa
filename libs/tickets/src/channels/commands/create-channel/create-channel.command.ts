import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { SmtpSettings } from '../../adapters/email.adapter';
import type { ChannelKind } from '../../domain/channel-kinds';
import type { WidgetSettings } from '../../domain/widget';
import type { ChannelView } from '../../repositories/channels.repository';

export interface NewChannel {
  kind: ChannelKind;
  name: string;
  /** Email: the inbound address customers write to (unique across tenants: it routes SMTP mail). */
  address?: string;
  /** Telegram: the bot token (sealed with the other secrets). */
  botToken?: string;
  /** WhatsApp: the Cloud API credentials (sealed with the other secrets). */
  whatsapp?: { accessToken: string; appSecret: string; phoneNumberId: string };
  /** Web: the widget's settings (allowed origins required; the rest defaults). */
  widget?: Partial<WidgetSettings>;
  fromName?: string | null;
  signature?: string | null;
  smtp?: SmtpSettings | null;
}

/** The channel, and its webhook secret: shown this once, never again. */
export interface CreatedChannel {
  channel: ChannelView;
  webhookSecret: string;
}

export class CreateChannelCommand extends Command<CreatedChannel> {
  constructor(
    readonly context: CommandContext,
    readonly input: NewChannel,
  ) {
    super();
  }
}
