import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, checkAddress, QueueRegistry, TenantFiles, TenantTransaction, type AppConfig, type CommandContext } from '@switchboard/platform';
import { DeliveryError, type OutboundMessage } from '../../adapters/channel-adapter';
import { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import { ChatClients } from '../../adapters/chat-clients';
import { VisitorPush } from '../../adapters/visitor-push.service';
import { EmailAdapter, type EmailSendConfig, type SmtpSettings } from '../../adapters/email.adapter';
import type { TelegramConfig } from '../../adapters/telegram.adapter';
import type { WhatsAppConfig, WhatsAppTemplate } from '../../adapters/whatsapp.adapter';
import { withinWindow } from '../../domain/chat-window';
import { isChatKind } from '../../domain/channel-config';
import { ChannelDeliveryUpdated, channelsConfig, DeliverMessage, type ChannelsConfig } from '../../channels.registration';
import { retryDelayMs } from '../../domain/backoff';
import { newThreadIndex, outboundMessageId, replySubject, replyToAddress } from '../../domain/email-threading';
import { ChannelsRepository, type DeliveryView } from '../../repositories/channels.repository';
import { GroupsRepository } from '../../../repositories/groups.repository';
import { TicketsRepository } from '../../../repositories/tickets.repository';
import { DeliverMessageCommand } from './deliver-message.command';

type Prepared =
  | { kind: 'email'; delivery: DeliveryView; message: OutboundMessage; config: EmailSendConfig }
  | { kind: 'telegram'; delivery: DeliveryView; message: OutboundMessage; config: TelegramConfig }
  | { kind: 'web'; delivery: DeliveryView; visitor: { sessionId: string; message: { id: string; body: string; createdAt: string } } }
  | { kind: 'whatsapp'; delivery: DeliveryView; message: OutboundMessage & { template: WhatsAppTemplate | null }; config: WhatsAppConfig; windowClosed: boolean };

export function parseSmtpUrl(url: string): SmtpSettings {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port) || (u.protocol === 'smtps:' ? 465 : 587),
    secure: u.protocol === 'smtps:',
    ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
  };
}

/**
 * One delivery attempt, never two sends of one message: a transaction claims the row (queued →
 * sending) and fixes its Message-ID before anything leaves; the send happens outside any
 * transaction; a last transaction stores the provider's id (sent) or schedules the retry with
 * backoff and jitter (queued, at next_attempt_at) or dead-letters it (failed). A redelivered job
 * finds nothing queued and does nothing; a worker that died mid-send leaves `sending`, which the
 * sweep dead-letters instead of sending again.
 */
@CommandHandler(DeliverMessageCommand)
export class DeliverMessageHandler implements ICommandHandler<DeliverMessageCommand> {
  private readonly logger = new Logger(DeliverMessageHandler.name);
  private readonly email = new EmailAdapter();

  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
    private readonly secrets: ChannelSecretsService,
    private readonly queues: QueueRegistry,
    private readonly files: TenantFiles,
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    private readonly tickets: TicketsRepository,
    private readonly groups: GroupsRepository,
    private readonly chat: ChatClients,
    private readonly visitors: VisitorPush,
  ) {}

  async execute({ tenantId, deliveryId }: DeliverMessageCommand): Promise<DeliveryView | undefined> {
    const context: CommandContext = { tenantId, actorId: null, actorType: 'system', correlationId: deliveryId };
    const prepared = await this.prepare(context, deliveryId);
    if (!prepared) return undefined;
    const { delivery } = prepared;
    try {
      let providerMessageId: string;
      if (prepared.kind === 'web') {
        // Published to the visitor's room (any api process); a visitor who is away reads it in the history.
        this.visitors.message(tenantId, prepared.visitor.sessionId, { ...prepared.visitor.message, author: 'agent' });
        providerMessageId = `web:${deliveryId}`;
      } else if (prepared.kind === 'telegram') {
        ({ providerMessageId } = await this.chat.telegram.send(prepared.message, prepared.config));
      } else if (prepared.kind === 'whatsapp') {
        if (prepared.windowClosed) throw new DeliveryError(WINDOW_CLOSED, true);
        ({ providerMessageId } = await this.chat.whatsapp.send(prepared.message, prepared.config));
      } else {
        if (prepared.config.smtp) await this.checkHost(prepared.config.smtp.host);
        ({ providerMessageId } = await this.email.send(prepared.message, prepared.config));
      }
      return await this.settle(context, delivery, { status: 'sent', providerMessageId, error: null });
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(error instanceof Error ? error.message : String(error), false);
      if (failure.permanent || delivery.attempts >= this.config.CHANNELS_DELIVERY_MAX_ATTEMPTS) {
        this.logger.warn({ tenantId, deliveryId, attempts: delivery.attempts, error: failure.message }, 'Delivery failed; dead-lettered');
        return this.settle(context, delivery, { status: 'failed', error: failure.message });
      }
      const at = new Date(Date.now() + retryDelayMs(delivery.attempts, { baseMs: this.config.CHANNELS_DELIVERY_BASE_DELAY_MS, maxMs: this.config.CHANNELS_DELIVERY_MAX_DELAY_MS, retryAfterMs: failure.retryAfterMs }));
      this.logger.warn({ tenantId, deliveryId, attempts: delivery.attempts, retryAt: at.toISOString(), error: failure.message }, 'Delivery not sent; retrying later');
      const view = await this.settle(context, delivery, { status: 'queued', error: failure.message, nextAttemptAt: at });
      await this.queues.schedule(DeliverMessage, { tenantId, deliveryId }, { key: deliveryId, runAt: at }).catch(() => undefined);
      return view;
    }
  }

  private async prepare(context: CommandContext, deliveryId: string): Promise<Prepared | undefined> {
    await this.secrets.ready();
    return this.tx.run(context, async (tx) => {
      const existing = await this.channels.findDelivery(tx, deliveryId);
      if (!existing || existing.status !== 'queued') return undefined;
      const conversation = await this.channels.conversation(tx, existing.ticketId);
      const channel = await this.channels.findChannel(tx, existing.channelId);
      if (!conversation || !channel) return undefined;
      if (channel.kind === 'web') {
        const delivery = await this.channels.claimDelivery(tx, deliveryId, `web:${deliveryId}`);
        const message = delivery && (await this.channels.ticketMessage(tx, delivery.ticketMessageId));
        if (!delivery || !message) return undefined;
        await tx.emit(ChannelDeliveryUpdated.of(delivery.ticketId, { deliveryId, messageId: delivery.ticketMessageId, channelId: delivery.channelId, status: 'sending', attempts: delivery.attempts, error: null }));
        return { kind: 'web' as const, delivery, visitor: { sessionId: delivery.recipient, message: { id: message.id, body: delivery.template?.text ?? message.body, createdAt: message.createdAt.toISOString() } } };
      }
      if (isChatKind(channel.kind)) {
        // A chat reply: plain text to the chat the conversation lives in; the id only marks the attempt.
        const delivery = await this.channels.claimDelivery(tx, deliveryId, `${channel.kind}:${deliveryId}`);
        const message = delivery && (await this.channels.ticketMessage(tx, delivery.ticketMessageId));
        if (!delivery || !message) return undefined;
        await tx.emit(ChannelDeliveryUpdated.of(delivery.ticketId, { deliveryId, messageId: delivery.ticketMessageId, channelId: delivery.channelId, status: 'sending', attempts: delivery.attempts, error: null }));
        const secrets = await this.secrets.open(context.tenantId, channel.id, channel.configKeyId, channel.config);
        if (channel.kind === 'whatsapp') {
          const window = await this.channels.chatWindow(tx, delivery.ticketId);
          const attachments = message.authorId ? await this.channels.replyAttachments(tx, delivery.ticketId, message.authorId, message.createdAt) : [];
          return {
            kind: 'whatsapp' as const,
            delivery,
            config: this.chat.whatsappConfig(secrets),
            windowClosed: !delivery.template && !withinWindow(window?.lastInboundAt ?? null),
            message: {
              ...chatMessage(delivery, message.body),
              template: delivery.template && delivery.template.text === undefined ? delivery.template : null,
              attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, open: () => this.files.read(context.tenantId, a.storageKey) })),
            },
          };
        }
        const attachments = message.authorId && !delivery.template ? await this.channels.replyAttachments(tx, delivery.ticketId, message.authorId, message.createdAt) : [];
        return {
          kind: 'telegram' as const,
          delivery,
          config: this.chat.telegramConfig(secrets),
          message: {
            ...chatMessage(delivery, message.body),
            attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, key: a.storageKey, open: () => this.files.read(context.tenantId, a.storageKey) })),
            // Each part is recorded in its own short transaction right after it left (rule 16: never inside one).
            parts: { sent: await this.channels.deliveryParts(tx, deliveryId), record: (part, id) => this.tx.run(context, (t) => this.channels.recordDeliveryPart(t, deliveryId, part, id)) },
          },
        };
      }
      if (!channel.address) return undefined;
      const delivery = await this.channels.claimDelivery(tx, deliveryId, outboundMessageId(conversation.token, deliveryId, this.config.CHANNELS_MAIL_DOMAIN));
      if (!delivery) return undefined;
      const message = await this.channels.ticketMessage(tx, delivery.ticketMessageId);
      if (!message) return undefined;
      const references = (await this.channels.refsOfTicket(tx, delivery.ticketId)).filter((id) => id !== delivery.messageId!.toLowerCase());
      const threadIndex = conversation.threadIndex ?? newThreadIndex();
      if (!conversation.threadIndex) await this.channels.setThreadIndex(tx, delivery.ticketId, threadIndex);
      // Replies to this message thread by its id even before the send is confirmed.
      await this.channels.insertRef(tx, { messageId: delivery.messageId!.toLowerCase(), ticketId: delivery.ticketId, ticketMessageId: delivery.ticketMessageId, direction: 'out' });
      const attachments = message.authorId && !delivery.template ? await this.channels.replyAttachments(tx, delivery.ticketId, message.authorId, message.createdAt) : [];
      await tx.emit(ChannelDeliveryUpdated.of(delivery.ticketId, { deliveryId, messageId: delivery.ticketMessageId, channelId: delivery.channelId, status: 'sending', attempts: delivery.attempts, error: null }));
      const secrets = await this.secrets.open(context.tenantId, channel.id, channel.configKeyId, channel.config);
      const smtp = secrets.smtp ?? (this.config.CHANNELS_SMTP_URL ? parseSmtpUrl(this.config.CHANNELS_SMTP_URL) : null);
      // The signature of the group working the ticket, else the channel's (ADR 0036).
      const groupId = (await this.tickets.find(tx, delivery.ticketId))?.groupId;
      const signatureText = (groupId ? (await this.groups.find(tx, groupId))?.emailSignature : null) ?? channel.signature;
      const signature = signatureText ? `\n\n-- \n${signatureText}` : '';
      return {
        kind: 'email' as const,
        delivery,
        config: { smtp, from: { address: channel.address, ...(channel.fromName ? { name: channel.fromName } : {}) }, outboxDir: join(this.app.DATA_DIR, 'mail', 'channels'), timeoutMs: this.config.CHANNELS_SMTP_TIMEOUT_MS },
        message: {
          to: { address: delivery.recipient },
          // A rendered template (the contact form's confirmation) goes out instead of the message it answers.
          subject: delivery.template?.text !== undefined ? `${delivery.template.subject ?? conversation.subject} [t_${conversation.token}]` : replySubject(conversation.subject, conversation.token),
          text: delivery.template?.text !== undefined ? delivery.template.text : `${message.body}${signature}`,
          html: delivery.template?.text === undefined && message.html ? `${message.html}${signatureText ? `<p>-- <br>${escapeHtml(signatureText).replace(/\n/g, '<br>')}</p>` : ''}` : null,
          messageId: delivery.messageId!,
          inReplyTo: references.at(-1) ?? null,
          references,
          replyTo: replyToAddress(channel.address, conversation.token),
          threadIndex,
          attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, open: () => this.files.read(context.tenantId, a.storageKey) })),
        },
      };
    });
  }

  /** A tenant's SMTP host must not be a private or loopback address unless the platform allows it (SSRF). */
  private async checkHost(host: string): Promise<void> {
    const addresses = await lookup(host, { all: true }).catch(() => {
      throw new DeliveryError(`The SMTP host ${host} does not resolve.`, false);
    });
    for (const { address } of addresses) {
      const verdict = checkAddress(address, { allowPrivate: this.config.CHANNELS_ALLOW_PRIVATE_SMTP });
      if (!verdict.allowed) throw new DeliveryError(`The SMTP host ${host} resolves to ${address} (${verdict.reason}); not connecting.`, true);
    }
  }

  private async settle(context: CommandContext, delivery: DeliveryView, change: { status: 'sent' | 'queued' | 'failed'; providerMessageId?: string; error: string | null; nextAttemptAt?: Date }): Promise<DeliveryView | undefined> {
    return this.tx.run(context, async (tx) => {
      const view = await this.channels.settleDelivery(tx, delivery.id, ['sending'], change);
      if (view) await tx.emit(ChannelDeliveryUpdated.of(view.ticketId, { deliveryId: view.id, messageId: view.ticketMessageId, channelId: view.channelId, status: view.status, attempts: view.attempts, error: view.error }));
      return view;
    });
  }
}

/** The fields every chat reply shares: to the conversation's chat, the rendered template's text or the message's (no mail headers). */
function chatMessage(delivery: DeliveryView, body: string): Omit<OutboundMessage, 'attachments'> {
  return {
    to: { address: delivery.recipient },
    subject: '',
    // A rendered message template (the auto-reply) is text; a WhatsApp template has no text of ours.
    text: delivery.template?.text ?? body,
    html: null,
    messageId: delivery.messageId!,
    inReplyTo: null,
    references: [],
    replyTo: null,
    threadIndex: null,
  };
}

const WINDOW_CLOSED = 'More than 24 hours have passed since the customer last wrote on WhatsApp; only a template message can reach them now.';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
