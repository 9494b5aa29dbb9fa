import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import { ChannelsRepository, channelView, type ChannelView } from '../../repositories/channels.repository';
import { widgetSettings } from '../../domain/widget';
import { UpdateChannelCommand } from './update-channel.command';

/** Renames, disables, changes the signature or the SMTP settings of a channel, or rotates its webhook secret (If-Match). */
@CommandHandler(UpdateChannelCommand)
export class UpdateChannelHandler implements ICommandHandler<UpdateChannelCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
    private readonly secrets: ChannelSecretsService,
  ) {}

  async execute({ context, channelId, changes, expectedVersion }: UpdateChannelCommand): Promise<{ channel: ChannelView; webhookSecret?: string }> {
    await this.secrets.ready();
    return this.tx.run(context, async (tx) => {
      const current = await this.channels.findChannel(tx, channelId, true);
      if (!current) throw notFound('Channel', channelId);
      if (expectedVersion !== null && current.version !== expectedVersion) {
        throw new ProblemException({ status: 412, type: 'precondition-failed', title: 'Precondition Failed', detail: `The channel is at version ${current.version}; read it again and retry.` });
      }
      const secrets = await this.secrets.open(context.tenantId, channelId, current.configKeyId, current.config);
      const webhookSecret = changes.rotateWebhookSecret ? ChannelSecretsService.newWebhookSecret() : undefined;
      const next = { ...secrets, ...(webhookSecret ? { webhookSecret } : {}) };
      if (changes.botToken !== undefined) {
        if (current.kind !== 'telegram') throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'Only Telegram channels have a bot token.', errors: [{ field: 'botToken', message: 'is for telegram channels' }] });
        next.botToken = changes.botToken;
      }
      if (changes.whatsapp !== undefined) {
        if (current.kind !== 'whatsapp') throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'Only WhatsApp channels have Cloud API credentials.', errors: [{ field: 'whatsapp', message: 'is for whatsapp channels' }] });
        next.whatsapp = changes.whatsapp;
      }
      if (changes.widget !== undefined && current.kind !== 'web') {
        throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'Only web chat channels have widget settings.', errors: [{ field: 'widget', message: 'is for web channels' }] });
      }
      const widget = changes.widget !== undefined && current.widget ? widgetSettings(changes.widget, current.widget) : current.widget;
      if (changes.smtp !== undefined) {
        if (changes.smtp === null) delete next.smtp;
        else next.smtp = changes.smtp;
      }
      const sealed = await this.secrets.seal(context.tenantId, channelId, next);
      const updated = await this.channels.updateChannel(tx, channelId, {
        name: changes.name?.trim() ?? current.name,
        status: changes.status ?? current.status,
        fromName: changes.fromName !== undefined ? changes.fromName : current.fromName,
        signature: changes.signature !== undefined ? changes.signature : current.signature,
        configKeyId: sealed.keyId,
        config: sealed.blob,
        widget,
      });
      const before = channelView(current);
      const channel = channelView(updated);
      await tx.audit({
        action: 'channel.updated',
        entityType: 'channel',
        entityId: channelId,
        before: { ...before, smtp: secrets.smtp ? `${secrets.smtp.host}:${secrets.smtp.port}` : 'platform default', webhookSecret: ChannelSecretsService.hint(secrets.webhookSecret) },
        after: { ...channel, smtp: next.smtp ? `${next.smtp.host}:${next.smtp.port}` : 'platform default', webhookSecret: ChannelSecretsService.hint(next.webhookSecret), ...(changes.botToken !== undefined ? { botToken: 'replaced' } : {}), ...(changes.whatsapp !== undefined ? { whatsapp: `phone number ${changes.whatsapp.phoneNumberId}, credentials replaced` } : {}) },
      });
      return { channel, ...(webhookSecret ? { webhookSecret } : {}) };
    });
  }
}
