import { createHash, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { FindOrCreateContactCommand, SetContactLocaleCommand } from '@switchboard/customers';
import { GetTenantQuery } from '@switchboard/tenancy';
import { FeatureFlags, type FeatureFlagHandle, ProblemException, QueueRegistry, safeFilename, TenantFiles, TenantTransaction, type CommandContext, type StoredUpload, type TenantTx } from '@switchboard/platform';
import { AddAttachmentCommand } from '../../../commands/add-attachment/add-attachment.command';
import { AddMessageCommand } from '../../../commands/add-message/add-message.command';
import { CreateTicketCommand } from '../../../commands/create-ticket/create-ticket.command';
import { sniffAllowedType } from '../../../domain/attachment-types';
import { TicketsRepository } from '../../../repositories/tickets.repository';
import type { InboundMessage } from '../../adapters/channel-adapter';
import { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import { ChatClients } from '../../adapters/chat-clients';
import { EmailAdapter } from '../../adapters/email.adapter';
import { TelegramParseError } from '../../adapters/telegram.adapter';
import { WhatsAppParseError } from '../../adapters/whatsapp.adapter';
import { isChatKind } from '../../domain/channel-config';
import { detectLanguage } from '../../domain/language';
import { localeChain, render } from '../../domain/message-templates';
import { MessageTemplatesRepository } from '../../repositories/message-templates.repository';
import { ChannelDeliveryUpdated, DeliverMessage, LearnContactLanguage, ProcessInbound } from '../../channels.registration';
import { newToken } from '../../domain/email-threading';
import { ChannelsRepository, type ChannelRecord, type DeliveryView, type InboundView } from '../../repositories/channels.repository';
import { ProcessInboundCommand } from './process-inbound.command';

/** A claim older than this is taken to belong to a worker that stopped. */
export const INBOUND_CLAIM_STALE_MS = 5 * 60_000;
export const INBOUND_MAX_ATTEMPTS = 5;
/** Most attachments stored from one mail; the original MIME keeps them all. */
const MAX_ATTACHMENTS = 20;

interface Stored {
  upload: StoredUpload;
}

/**
 * Turns a stored raw message into ticket activity, exactly once: the claim (pending → processing)
 * and the settle (processing → processed) bracket the work, and the settle commits in the same
 * transaction as the ticket, message, references and attachments, so a crash between leaves the
 * row to be claimed again and nothing half-written. Threading order (ADR 0034): In-Reply-To and
 * References against known message ids, then the reply token (address, our Message-ID, subject),
 * then Outlook's Thread-Index root; otherwise a new ticket. A merged ticket's replies go to the
 * ticket it was merged into; a closed ticket gets a follow-up.
 */
@CommandHandler(ProcessInboundCommand)
export class ProcessInboundHandler implements ICommandHandler<ProcessInboundCommand> {
  private readonly logger = new Logger(ProcessInboundHandler.name);
  private readonly email = new EmailAdapter();
  private readonly learnLanguage: FeatureFlagHandle;

  constructor(
    private readonly tx: TenantTransaction,
    private readonly commands: CommandBus,
    private readonly channels: ChannelsRepository,
    private readonly tickets: TicketsRepository,
    private readonly files: TenantFiles,
    private readonly queues: QueueRegistry,
    private readonly secrets: ChannelSecretsService,
    private readonly chat: ChatClients,
    private readonly queries: QueryBus,
    private readonly templates: MessageTemplatesRepository,
    flags: FeatureFlags,
  ) {
    this.learnLanguage = flags.handle(LearnContactLanguage);
  }

  async execute({ tenantId, inboundId }: ProcessInboundCommand): Promise<InboundView | undefined> {
    const context: CommandContext = { tenantId, actorId: null, actorType: 'system', correlationId: inboundId };
    await this.secrets.ready();
    // Decided before any transaction opens: a flag may read its rules (rule 16).
    const learnLanguage = await this.learnLanguage.isEnabled({ tenantId });
    const claimed = await this.tx.run(context, async (tx) => {
      const row = await this.channels.claimInbound(tx, inboundId, INBOUND_CLAIM_STALE_MS);
      return row && { row, own: await this.channels.ownAddresses(tx), channel: (await this.channels.findChannel(tx, row.channelId))! };
    });
    if (!claimed) return undefined;
    const { row, own, channel } = claimed;
    if (isChatKind(channel.kind)) return this.processChat(context, row, channel, learnLanguage);
    let stored: Stored[] = [];
    try {
      const message = await this.email.parseInbound(row.raw, { ownAddresses: own });
      if (message.classification === 'loop') return this.settle(context, inboundId, { status: 'ignored', classification: 'loop', error: 'Sent from one of this tenant’s own addresses (a mail loop).' });
      if (message.classification === 'bounce' || message.classification === 'delivery_report') return this.report(context, inboundId, message);
      const contact =
        message.classification === 'message'
          ? (await this.commands.execute(new FindOrCreateContactCommand(context, { email: message.from.address }, message.from.name))).contact
          : undefined;
      stored = await this.storeAttachments(tenantId, message);
      return await this.tx.run(context, async (tx) => {
        const conversation = await this.thread(tx, message);
        if (message.classification === 'auto_reply') {
          // Seen by agents as a note; never reopens the ticket, never answered.
          if (!conversation) return this.settleIn(tx, inboundId, { status: 'ignored', classification: 'auto_reply', error: 'An automatic reply that belongs to no ticket.' });
          const note = await this.commands.execute(new AddMessageCommand(context, conversation.ticketId, { body: `Automatic reply from ${message.from.address}:\n\n${message.body}`.slice(0, 100_000), visibility: 'internal', author: 'requester' }));
          await this.channels.insertRef(tx, { messageId: message.externalId, ticketId: conversation.ticketId, ticketMessageId: note.id, direction: 'in' });
          return this.settleIn(tx, inboundId, { status: 'processed', classification: 'auto_reply', ticketId: conversation.ticketId, ticketMessageId: note.id });
        }
        // A reply to a ticket that was merged continues the ticket it went into.
        const ticket = conversation ? await this.tickets.findFollowingMerges(tx, conversation.ticketId) : undefined;
        let ticketId = ticket?.id;
        if (!ticket || ticket.status === 'closed') {
          const created = await this.commands.execute(
            new CreateTicketCommand(context, { subject: (message.subject || '(no subject)').slice(0, 250), channel: 'email', requesterId: contact!.id }),
          );
          ticketId = created.id;
          await this.channels.insertConversation(tx, { ticketId, channelId: row.channelId, token: newToken(), contactAddress: message.from.address, subject: message.subject || '(no subject)', threadIndex: message.conversationKey });
        }
        const added = await this.commands.execute(new AddMessageCommand(context, ticketId!, { body: message.body || '(empty message)', visibility: 'public', author: 'requester', contactId: contact!.id }));
        await this.channels.insertRef(tx, { messageId: message.externalId, ticketId: ticketId!, ticketMessageId: added.id, direction: 'in' });
        if (message.conversationKey) await this.channels.setThreadIndex(tx, ticketId!, message.conversationKey);
        await this.attach(context, ticketId!, stored);
        stored = [];
        if (learnLanguage) await this.recordLanguage(context, contact!, message.body, null, 'email');
        return this.settleIn(tx, inboundId, { status: 'processed', classification: 'message', ticketId: ticketId!, ticketMessageId: added.id });
      });
    } catch (error) {
      for (const { upload } of stored) await this.files.remove(tenantId, upload.key);
      return this.failed(context, row, error);
    }
  }

  /**
   * A chat message (Telegram, WhatsApp): the contact by their chat identity, the conversation by the chat
   * (the newest of its tickets that is not closed, else a new ticket), files fetched from the
   * provider and stored like mail attachments.
   */
  private async processChat(context: CommandContext, row: InboundView & { raw: Buffer }, channel: ChannelRecord, learnLanguage: boolean): Promise<InboundView | undefined> {
    const { tenantId } = context;
    let stored: Stored[] = [];
    try {
      const secrets = await this.secrets.open(tenantId, channel.id, channel.configKeyId, channel.config);
      const message =
        channel.kind === 'whatsapp'
          ? await this.chat.whatsapp.parseInbound(row.raw, { ownAddresses: [], config: this.chat.whatsappConfig(secrets) })
          : await this.chat.telegram.parseInbound(row.raw, { ownAddresses: [], config: this.chat.telegramConfig(secrets) });
      if (message.classification !== 'message') return this.settle(context, row.id, { status: 'ignored', classification: 'auto_reply', error: 'Sent by a bot, not a person.' });
      const { contact } = await this.commands.execute(new FindOrCreateContactCommand(context, { channel: message.chat!.channel, externalId: message.chat!.externalId }, message.from.name));
      const tenant = await this.queries.execute(new GetTenantQuery(tenantId));
      stored = await this.storeAttachments(tenantId, message);
      let autoReply: DeliveryView | undefined;
      const settled = await this.tx.run(context, async (tx) => {
        let ticketId = (await this.channels.openConversationByContact(tx, channel.id, message.from.address))?.ticketId;
        const isNew = !ticketId;
        if (!ticketId) {
          const subject = message.subject || `${channel.kind === 'whatsapp' ? 'WhatsApp' : 'Telegram'} conversation with ${message.from.name ?? contact.name}`;
          ticketId = (await this.commands.execute(new CreateTicketCommand(context, { subject: subject.slice(0, 250), channel: channel.kind, requesterId: contact.id }))).id;
          await this.channels.insertConversation(tx, { ticketId, channelId: channel.id, token: newToken(), contactAddress: message.from.address, subject, threadIndex: null });
        }
        const body = [message.body, ...(message.notes ?? [])].filter(Boolean).join('\n\n') || (stored.length ? '(attachment)' : '(empty message)');
        const added = await this.commands.execute(new AddMessageCommand(context, ticketId, { body, visibility: 'public', author: 'requester', contactId: contact.id }));
        await this.channels.insertRef(tx, { messageId: message.externalId, ticketId, ticketMessageId: added.id, direction: 'in' });
        await this.attach(context, ticketId, stored);
        stored = [];
        if (learnLanguage) await this.recordLanguage(context, contact, message.body, message.chat?.language ?? null, channel.kind);
        if (isNew) {
          // The tenant's own chat.auto_reply (none shipped is sent), in the customer's language, answers a new conversation.
          const own = await this.templates.firstOf(tx, 'chat.auto_reply', localeChain(contact.locale ?? detectLanguage(message.body, message.chat?.language ?? null), tenant.locale));
          if (own) {
            const ticket = await this.tickets.find(tx, ticketId);
            const text = render(own.body, { ticket_number: String(ticket?.number ?? ''), name: message.from.name ?? contact.name, tenant_name: tenant.name });
            autoReply = await this.channels.insertDelivery(tx, { channelId: channel.id, ticketId, ticketMessageId: added.id, recipient: message.from.address, template: { name: 'chat.auto_reply', language: own.locale, parameters: [], text } });
            if (autoReply) await tx.emit(ChannelDeliveryUpdated.of(ticketId, { deliveryId: autoReply.id, messageId: added.id, channelId: channel.id, status: 'queued', attempts: 0, error: null }));
          }
        }
        return this.settleIn(tx, row.id, { status: 'processed', classification: 'message', ticketId, ticketMessageId: added.id });
      });
      if (autoReply) await this.queues.schedule(DeliverMessage, { tenantId, deliveryId: autoReply.id }, { key: autoReply.id, runAt: new Date() }).catch(() => undefined);
      return settled;
    } catch (error) {
      for (const { upload } of stored) await this.files.remove(tenantId, upload.key);
      // A malformed update never gets better: failed at once, kept for agents to download.
      if (error instanceof TelegramParseError || error instanceof WhatsAppParseError) return this.settle(context, row.id, { status: 'failed', classification: null, error: error.message });
      return this.failed(context, row, error);
    }
  }

  /** A contact without a language gets the one their message is written in (through the customers context). */
  private async recordLanguage(context: CommandContext, contact: { id: string; locale: string | null }, text: string, hint: string | null, source: string): Promise<void> {
    if (contact.locale) return;
    const language = detectLanguage(text, hint);
    if (language) await this.commands.execute(new SetContactLocaleCommand(context, contact.id, language, `detected from ${source}`));
  }

  /** The conversation this message continues, by the threading order; undefined for a new one. */
  private async thread(tx: TenantTx, message: InboundMessage) {
    const byId = await this.channels.ticketByMessageIds(tx, message.threadKeys);
    if (byId) return (await this.channels.conversation(tx, byId)) ?? { ticketId: byId };
    const byToken = await this.channels.conversationByToken(tx, message.tokens);
    if (byToken) return byToken;
    if (message.conversationKey) return this.channels.conversationByThreadIndex(tx, message.conversationKey);
    return undefined;
  }

  /** A DSN: the reported deliveries move to failed (or delivered), and failed recipients are marked bouncing. */
  private async report(context: CommandContext, inboundId: string, message: InboundMessage): Promise<InboundView | undefined> {
    const report = message.report!;
    return this.tx.run(context, async (tx) => {
      const deliveries = await this.channels.deliveriesByMessageIds(tx, report.messageIds);
      let ticketId: string | null = null;
      for (const d of deliveries) {
        ticketId = d.ticketId;
        const next = report.action === 'failed' ? 'failed' : report.action === 'delivered' ? 'delivered' : undefined;
        if (!next) continue;
        const changed = await this.channels.settleDelivery(tx, d.id, next === 'failed' ? ['sent', 'delivered', 'queued'] : ['sent'], {
          status: next,
          error: next === 'failed' ? `Bounced: ${report.reason ?? 'the receiving server refused the message'}` : null,
        });
        if (changed) {
          await tx.emit(ChannelDeliveryUpdated.of(changed.ticketId, { deliveryId: changed.id, messageId: changed.ticketMessageId, channelId: changed.channelId, status: changed.status, attempts: changed.attempts, error: changed.error }));
        }
      }
      if (report.action === 'failed') {
        const recipients = report.recipients.length ? report.recipients : deliveries.map((d) => d.recipient);
        for (const address of recipients) await this.channels.markBouncing(tx, address, report.reason);
      }
      return this.settleIn(tx, inboundId, { status: 'processed', classification: message.classification, ticketId });
    });
  }

  /**
   * Attaches the message's stored files. A file past the tenant's plan storage is dropped (its
   * bytes removed by the attachment command) rather than losing the customer's message; agents
   * see which files in an internal note. The refusal is thrown before any row changes (it only
   * locked the tenant's totals), so the message's transaction goes on.
   */
  private async attach(context: CommandContext, ticketId: string, stored: Stored[]): Promise<void> {
    const dropped: string[] = [];
    let reason = '';
    for (const { upload } of stored) {
      try {
        await this.commands.execute(new AddAttachmentCommand(context, ticketId, upload));
      } catch (error) {
        if (!(error instanceof ProblemException) || error.problem.type !== 'storage-limit-reached') throw error;
        dropped.push(upload.filename);
        reason = error.problem.detail;
      }
    }
    if (dropped.length === 0) return;
    const body = `${dropped.length === 1 ? 'An attachment was' : `${dropped.length} attachments were`} not kept (${dropped.join(', ')}): ${reason}`;
    await this.commands.execute(new AddMessageCommand(context, ticketId, { body: body.slice(0, 100_000), visibility: 'internal', author: 'requester' }));
  }

  private async storeAttachments(tenantId: string, message: InboundMessage): Promise<Stored[]> {
    const stored: Stored[] = [];
    for (const attachment of message.attachments.slice(0, MAX_ATTACHMENTS)) {
      if (attachment.content.length === 0) continue;
      // Not on the allow-list (an executable, a script): kept only in the original MIME.
      if (!(await sniffAllowedType(attachment.content.subarray(0, 4100), attachment.declaredType))) continue;
      const key = `attachments/${randomUUID()}`;
      await this.files.write(tenantId, key, attachment.content);
      stored.push({
        upload: { key, filename: safeFilename(attachment.filename), declaredType: attachment.declaredType, size: attachment.content.length, sha256: createHash('sha256').update(attachment.content).digest('hex') },
      });
    }
    return stored;
  }

  private settle(context: CommandContext, inboundId: string, outcome: Parameters<ChannelsRepository['settleInbound']>[2]): Promise<InboundView | undefined> {
    return this.tx.run(context, (tx) => this.settleIn(tx, inboundId, outcome));
  }

  private async settleIn(tx: TenantTx, inboundId: string, outcome: Parameters<ChannelsRepository['settleInbound']>[2]): Promise<InboundView | undefined> {
    // Another worker took it over (this claim went stale): roll everything back.
    if (!(await this.channels.settleInbound(tx, inboundId, outcome))) throw new LostClaim();
    return this.channels.findInbound(tx, inboundId);
  }

  private async failed(context: CommandContext, row: InboundView, error: unknown): Promise<InboundView | undefined> {
    if (error instanceof LostClaim) return undefined;
    const reason = error instanceof Error ? error.message : String(error);
    if (row.attempts >= INBOUND_MAX_ATTEMPTS) {
      this.logger.warn({ tenantId: context.tenantId, inboundId: row.id, attempts: row.attempts, error: reason }, 'Inbound message failed');
      return this.settle(context, row.id, { status: 'failed', classification: null, error: reason }).catch(() => undefined);
    }
    const at = new Date(Date.now() + 2 ** row.attempts * 5_000);
    this.logger.warn({ tenantId: context.tenantId, inboundId: row.id, attempts: row.attempts, retryAt: at.toISOString(), error: reason }, 'Inbound message not processed; retrying later');
    await this.tx.run(context, (tx) => this.channels.retryInboundLater(tx, row.id, at, reason));
    await this.queues.schedule(ProcessInbound, { tenantId: context.tenantId, inboundId: row.id }, { key: row.id, runAt: at }).catch(() => undefined);
    return undefined;
  }
}

class LostClaim extends Error {
  constructor() {
    super('The inbound message was claimed by another worker');
  }
}
