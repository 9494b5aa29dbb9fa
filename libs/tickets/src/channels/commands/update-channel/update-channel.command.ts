import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { SmtpSettings } from '../../adapters/email.adapter';
import type { ChannelStatus } from '../../domain/channel-kinds';
import type { WidgetSettings } from '../../domain/widget';
import type { ChannelView } from '../../repositories/channels.repository';

export interface ChannelChanges {
  name?: string;
  status?: ChannelStatus;
  fromName?: string | null;
  signature?: string | null;
  /** Replaces the SMTP settings (null: back to the platform default). Write-only. */
  smtp?: SmtpSettings | null;
  /** A new webhook secret is generated and returned once. */
  rotateWebhookSecret?: boolean;
  /** Telegram: replaces the bot token. Write-only. */
  botToken?: string;
  /** WhatsApp: replaces the Cloud API credentials. Write-only. */
  whatsapp?: { accessToken: string; appSecret: string; phoneNumberId: string };
  /** Web: changes the widget's settings (what is given replaces; the rest stays). */
  widget?: Partial<WidgetSettings>;
}

export class UpdateChannelCommand extends Command<{ channel: ChannelView; webhookSecret?: string }> {
  constructor(
    readonly context: CommandContext,
    readonly channelId: string,
    readonly changes: ChannelChanges,
    /** null: any version (If-Match: *). */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
