import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, QueueRegistry, TenantTransaction, type CommandContext } from '@switchboard/platform';
import { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import { readTelegramUpdate, telegramExternalId, TelegramParseError } from '../../adapters/telegram.adapter';
import { ChannelMetrics } from '../../channel-metrics';
import { channelsConfig, ProcessInbound, type ChannelsConfig } from '../../channels.registration';
import { sameSecret } from '../../domain/webhook-auth';
import { ChannelsRepository } from '../../repositories/channels.repository';
import { AcceptChatInboundCommand, type AcceptedChatUpdate } from './accept-chat-inbound.command';

const unauthorized = () =>
  new ProblemException({
    status: 401,
    type: 'webhook-unauthorized',
    title: 'Unauthorized',
    detail: 'The webhook is not authenticated for this channel: Telegram must send the channel’s webhook secret as X-Telegram-Bot-Api-Secret-Token (the secret_token given to setWebhook).',
  });

/** Authenticates a chat webhook, counts it, and stores its update once per update id (ADR 0039). */
@CommandHandler(AcceptChatInboundCommand)
export class AcceptChatInboundHandler implements ICommandHandler<AcceptChatInboundCommand> {
  private readonly logger = new Logger(AcceptChatInboundHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
    private readonly secrets: ChannelSecretsService,
    private readonly queues: QueueRegistry,
    private readonly metrics: ChannelMetrics,
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
  ) {}

  async execute({ channelId, kind, body, secretToken, correlationId }: AcceptChatInboundCommand): Promise<AcceptedChatUpdate> {
    const channel = await this.tx.runAsSystem((m) => ChannelsRepository.routeById(m, channelId));
    // An unknown channel, another kind's channel and a wrong secret look the same to the caller.
    if (!channel || channel.kind !== kind) {
      this.metrics.webhook(null, kind, 'unauthorized');
      throw unauthorized();
    }
    const secrets = await this.secrets.open(channel.tenantId, channel.id, channel.configKeyId, channel.config);
    if (!sameSecret(secretToken, secrets.webhookSecret)) {
      this.metrics.webhook(channel.id, kind, 'unauthorized');
      throw unauthorized();
    }
    if (channel.status !== 'active') {
      throw new ProblemException({ status: 409, type: 'channel-disabled', title: 'Conflict', detail: 'This channel is disabled; it accepts no messages until an admin enables it again.' });
    }
    let update: ReturnType<typeof readTelegramUpdate>;
    try {
      update = readTelegramUpdate(body);
    } catch (error) {
      if (!(error instanceof TelegramParseError)) throw error;
      this.metrics.webhook(channel.id, kind, 'parse_error');
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: error.message, errors: [{ field: 'body', message: error.message }] });
    }
    if (!update.message) {
      this.metrics.webhook(channel.id, kind, 'ignored');
      return { id: null, duplicate: false, ignored: true };
    }
    const externalId = telegramExternalId(update.updateId);
    const sender = String(update.message.chat.id);
    const raw = Buffer.from(JSON.stringify(body));
    if (raw.length > this.config.CHANNELS_INBOUND_MAX_BYTES) {
      throw new ProblemException({ status: 413, type: 'payload-too-large', title: 'Content Too Large', detail: `The update is larger than the limit of ${this.config.CHANNELS_INBOUND_MAX_BYTES} bytes.` });
    }
    const context: CommandContext = { tenantId: channel.tenantId, actorId: null, actorType: 'system', correlationId };
    const interval = 60_000 / this.config.CHANNELS_INBOUND_SENDER_PER_MINUTE;
    const accepted = await this.tx.run(context, async (tx) => {
      const existing = await this.channels.findInboundByExternalId(tx, channel.id, externalId);
      if (existing) return { id: existing.id, duplicate: true, notBefore: existing.notBefore };
      const notBefore = await this.channels.pace(tx, channel.id, sender, interval, this.config.CHANNELS_INBOUND_SENDER_BURST);
      const subject = (update.message!.text ?? update.message!.caption ?? '').split('\n')[0]!.slice(0, 200) || null;
      const row = await this.channels.insertInbound(tx, { channelId: channel.id, externalId, sender, subject, receivedVia: 'webhook', raw, notBefore });
      if (!row) return { id: (await this.channels.findInboundByExternalId(tx, channel.id, externalId))!.id, duplicate: true, notBefore: notBefore.toISOString() };
      return { id: row.id, duplicate: false, notBefore: row.notBefore };
    });
    this.metrics.webhook(channel.id, kind, accepted.duplicate ? 'duplicate' : 'accepted');
    if (!accepted.duplicate) {
      await this.queues
        .schedule(ProcessInbound, { tenantId: channel.tenantId, inboundId: accepted.id }, { key: accepted.id, runAt: new Date(accepted.notBefore) })
        .catch((error: unknown) => this.logger.warn({ inboundId: accepted.id, error: String(error) }, 'Inbound update not queued; the sweep will'));
    }
    return { id: accepted.id, duplicate: accepted.duplicate, ignored: false };
  }
}
