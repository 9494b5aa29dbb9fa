import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, QueueRegistry, TenantTransaction, type CommandContext } from '@switchboard/platform';
import { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import { readWhatsAppWebhook, WhatsAppParseError, whatsappExternalId, type WhatsAppStatusItem } from '../../adapters/whatsapp.adapter';
import { ChannelMetrics } from '../../channel-metrics';
import { ChannelDeliveryUpdated, channelsConfig, ProcessInbound, type ChannelsConfig } from '../../channels.registration';
import type { DeliveryStatus } from '../../domain/channel-kinds';
import { validHubSignature } from '../../domain/webhook-auth';
import { ChannelsRepository } from '../../repositories/channels.repository';
import { AcceptWhatsAppWebhookCommand, type AcceptedWhatsAppWebhook } from './accept-whatsapp-webhook.command';

const unauthorized = () =>
  new ProblemException({
    status: 401,
    type: 'webhook-unauthorized',
    title: 'Unauthorized',
    detail: 'The webhook is not authenticated for this channel: X-Hub-Signature-256 must be sha256=<hex HMAC-SHA256 of the raw body under the channel’s app secret>.',
  });

/** Which delivery states a provider status may move on from: never backwards (a late "delivered" after "read"). */
const FROM: Record<WhatsAppStatusItem['status'], readonly DeliveryStatus[]> = {
  sent: [],
  delivered: ['sent'],
  read: ['sent', 'delivered'],
  failed: ['sent', 'delivered'],
};

/** Authenticates a WhatsApp webhook, stores its messages once per wamid and moves deliveries by their statuses (ADR 0039). */
@CommandHandler(AcceptWhatsAppWebhookCommand)
export class AcceptWhatsAppWebhookHandler implements ICommandHandler<AcceptWhatsAppWebhookCommand> {
  private readonly logger = new Logger(AcceptWhatsAppWebhookHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
    private readonly secrets: ChannelSecretsService,
    private readonly queues: QueueRegistry,
    private readonly metrics: ChannelMetrics,
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
  ) {}

  async execute({ channelId, raw, body, signature, correlationId }: AcceptWhatsAppWebhookCommand): Promise<AcceptedWhatsAppWebhook> {
    const channel = await this.tx.runAsSystem((m) => ChannelsRepository.routeById(m, channelId));
    if (!channel || channel.kind !== 'whatsapp') {
      this.metrics.webhook(null, 'whatsapp', 'unauthorized');
      throw unauthorized();
    }
    const secrets = await this.secrets.open(channel.tenantId, channel.id, channel.configKeyId, channel.config);
    if (!secrets.whatsapp || !validHubSignature(signature, raw, secrets.whatsapp.appSecret)) {
      this.metrics.webhook(channel.id, 'whatsapp', 'unauthorized');
      throw unauthorized();
    }
    if (channel.status !== 'active') {
      throw new ProblemException({ status: 409, type: 'channel-disabled', title: 'Conflict', detail: 'This channel is disabled; it accepts no messages until an admin enables it again.' });
    }
    let parsed: ReturnType<typeof readWhatsAppWebhook>;
    try {
      parsed = readWhatsAppWebhook(body);
    } catch (error) {
      if (!(error instanceof WhatsAppParseError)) throw error;
      this.metrics.webhook(channel.id, 'whatsapp', 'parse_error');
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: error.message, errors: [{ field: 'body', message: error.message }] });
    }
    // One app's webhook may carry several numbers: only this channel's number is this channel's.
    const number = secrets.whatsapp.phoneNumberId;
    const messages = parsed.messages.filter((m) => m.phoneNumberId === number);
    const statuses = parsed.statuses.filter((s) => s.phoneNumberId === number);
    const ignored = parsed.messages.length + parsed.statuses.length - messages.length - statuses.length;
    const context: CommandContext = { tenantId: channel.tenantId, actorId: null, actorType: 'system', correlationId };
    const interval = 60_000 / this.config.CHANNELS_INBOUND_SENDER_PER_MINUTE;
    const result = await this.tx.run(context, async (tx) => {
      const stored: { id: string; notBefore: string }[] = [];
      let duplicates = 0;
      for (const m of messages) {
        const externalId = whatsappExternalId(m.wamid);
        if (await this.channels.findInboundByExternalId(tx, channel.id, externalId)) {
          duplicates++;
          continue;
        }
        const notBefore = await this.channels.pace(tx, channel.id, m.from, interval, this.config.CHANNELS_INBOUND_SENDER_BURST);
        const content = Buffer.from(JSON.stringify({ phoneNumberId: m.phoneNumberId, name: m.name, message: m.message }));
        const subject = typeof m.message.text?.body === 'string' ? (m.message.text.body as string).split('\n')[0]!.slice(0, 200) : null;
        const row = await this.channels.insertInbound(tx, { channelId: channel.id, externalId, sender: m.from, subject, receivedVia: 'webhook', raw: content, notBefore });
        if (row) stored.push({ id: row.id, notBefore: row.notBefore });
        else duplicates++;
      }
      let applied = 0;
      for (const s of statuses) {
        const delivery = await this.channels.deliveryByProviderId(tx, channel.id, s.wamid);
        if (!delivery || FROM[s.status].length === 0) continue;
        const changed = await this.channels.settleDelivery(tx, delivery.id, FROM[s.status], { status: s.status, error: s.status === 'failed' ? (s.error ?? 'WhatsApp reported the message as failed') : null });
        if (!changed) continue;
        applied++;
        await tx.emit(ChannelDeliveryUpdated.of(changed.ticketId, { deliveryId: changed.id, messageId: changed.ticketMessageId, channelId: changed.channelId, status: changed.status, attempts: changed.attempts, error: changed.error }));
      }
      return { stored, duplicates, applied };
    });
    this.metrics.webhook(channel.id, 'whatsapp', 'accepted', result.stored.length);
    this.metrics.webhook(channel.id, 'whatsapp', 'duplicate', result.duplicates);
    this.metrics.webhook(channel.id, 'whatsapp', 'status', statuses.length);
    this.metrics.webhook(channel.id, 'whatsapp', 'ignored', ignored);
    for (const row of result.stored) {
      await this.queues
        .schedule(ProcessInbound, { tenantId: channel.tenantId, inboundId: row.id }, { key: row.id, runAt: new Date(row.notBefore) })
        .catch((error: unknown) => this.logger.warn({ inboundId: row.id, error: String(error) }, 'Inbound message not queued; the sweep will'));
    }
    return { stored: result.stored.map((r) => r.id), duplicates: result.duplicates, statuses: result.applied, ignored };
  }
}
