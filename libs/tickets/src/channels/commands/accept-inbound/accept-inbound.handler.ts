import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, QueueRegistry, TenantTransaction, type CommandContext } from '@switchboard/platform';
import { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import { channelsConfig, ProcessInbound, type ChannelsConfig } from '../../channels.registration';
import { looksLikeMime, peekHeaders } from '../../domain/mime-headers';
import { ChannelsRepository } from '../../repositories/channels.repository';
import { AcceptInboundCommand, type AcceptedInbound, type InboundAuth } from './accept-inbound.command';

const unauthorized = () =>
  new ProblemException({
    status: 401,
    type: 'webhook-unauthorized',
    title: 'Unauthorized',
    detail: 'The webhook is not authenticated for this channel: send the channel’s token, or a fresh X-Switchboard-Signature (t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.<raw MIME>">).',
  });

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Verifies the caller, paces the sender, stores the raw MIME once per Message-ID, then queues processing. */
@CommandHandler(AcceptInboundCommand)
export class AcceptInboundHandler implements ICommandHandler<AcceptInboundCommand> {
  private readonly logger = new Logger(AcceptInboundHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
    private readonly secrets: ChannelSecretsService,
    private readonly queues: QueueRegistry,
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
  ) {}

  async execute({ channelId, raw, via, auth, correlationId }: AcceptInboundCommand): Promise<AcceptedInbound> {
    const channel = await this.tx.runAsSystem((m) => ChannelsRepository.routeById(m, channelId));
    // An unknown channel and a wrong secret look the same to the caller.
    if (!channel || channel.kind !== 'email') throw unauthorized();
    if (auth.kind !== 'smtp') this.verify(auth, raw, (await this.secrets.open(channel.tenantId, channel.id, channel.configKeyId, channel.config)).webhookSecret);
    if (channel.status !== 'active') {
      throw new ProblemException({ status: 409, type: 'channel-disabled', title: 'Conflict', detail: 'This channel is disabled; it accepts no mail until an admin enables it again.' });
    }
    if (raw.length > this.config.CHANNELS_INBOUND_MAX_BYTES) {
      throw new ProblemException({ status: 413, type: 'payload-too-large', title: 'Content Too Large', detail: `The message is larger than the limit of ${this.config.CHANNELS_INBOUND_MAX_BYTES} bytes.` });
    }
    if (raw.length === 0 || !looksLikeMime(raw)) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'The body is not a MIME message (RFC 5322 headers, a blank line, then the body).', errors: [{ field: 'email', message: 'is not a MIME message' }] });
    }
    const headers = peekHeaders(raw);
    const context: CommandContext = { tenantId: channel.tenantId, actorId: null, actorType: 'system', correlationId };
    const interval = 60_000 / this.config.CHANNELS_INBOUND_SENDER_PER_MINUTE;
    const accepted = await this.tx.run(context, async (tx) => {
      const existing = await this.channels.findInboundByExternalId(tx, channel.id, headers.messageId);
      if (existing) return { id: existing.id, duplicate: true, notBefore: existing.notBefore };
      const notBefore = await this.channels.pace(tx, channel.id, headers.from, interval, this.config.CHANNELS_INBOUND_SENDER_BURST);
      const row = await this.channels.insertInbound(tx, { channelId: channel.id, externalId: headers.messageId, sender: headers.from, subject: headers.subject, receivedVia: via, raw, notBefore });
      if (!row) return { id: (await this.channels.findInboundByExternalId(tx, channel.id, headers.messageId))!.id, duplicate: true, notBefore: notBefore.toISOString() };
      return { id: row.id, duplicate: false, notBefore: row.notBefore };
    });
    if (!accepted.duplicate) {
      // After commit; if Redis misses it, the sweep (tickets.channels-sweep) queues it from Postgres.
      await this.queues
        .schedule(ProcessInbound, { tenantId: channel.tenantId, inboundId: accepted.id }, { key: accepted.id, runAt: new Date(accepted.notBefore) })
        .catch((error: unknown) => this.logger.warn({ inboundId: accepted.id, error: String(error) }, 'Inbound message not queued; the sweep will'));
    }
    return accepted;
  }

  private verify(auth: Exclude<InboundAuth, { kind: 'smtp' }>, raw: Buffer, secret: string): void {
    if (auth.kind === 'token') {
      if (!equal(auth.token, secret)) throw unauthorized();
      return;
    }
    const timestamp = Number(auth.timestamp);
    if (!/^\d{1,12}$/.test(auth.timestamp) || Math.abs(Date.now() / 1000 - timestamp) > this.config.CHANNELS_WEBHOOK_TOLERANCE_SECONDS) {
      throw new ProblemException({
        status: 401,
        type: 'webhook-signature-expired',
        title: 'Unauthorized',
        detail: `The signature's timestamp is more than ${this.config.CHANNELS_WEBHOOK_TOLERANCE_SECONDS} s away from now: a replay, or a clock that is off.`,
      });
    }
    const expected = createHmac('sha256', secret).update(`${auth.timestamp}.`).update(raw).digest('hex');
    if (!equal(auth.signature.toLowerCase(), expected)) throw unauthorized();
  }
}
