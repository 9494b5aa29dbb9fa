import { Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, QueueRegistry, TenantTransaction } from '@switchboard/platform';
import { AddMessageCommand } from '../../../commands/add-message/add-message.command';
import type { MessageView } from '../../../repositories/messages.sql';
import { TicketsRepository } from '../../../repositories/tickets.repository';
import { ChannelDeliveryUpdated, DeliverMessage } from '../../channels.registration';
import { ChannelsRepository, type DeliveryView } from '../../repositories/channels.repository';
import { SendWhatsAppTemplateCommand } from './send-whatsapp-template.command';

/**
 * The message and its template delivery commit together, so the reply queued for the same message
 * by the MessageAdded consumer folds into this one (one delivery per message) and always carries
 * the template.
 */
@CommandHandler(SendWhatsAppTemplateCommand)
export class SendWhatsAppTemplateHandler implements ICommandHandler<SendWhatsAppTemplateCommand> {
  private readonly logger = new Logger(SendWhatsAppTemplateHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly commands: CommandBus,
    private readonly channels: ChannelsRepository,
    private readonly tickets: TicketsRepository,
    private readonly queues: QueueRegistry,
  ) {}

  async execute({ context, ticketId, template, body }: SendWhatsAppTemplateCommand): Promise<MessageView> {
    let queued: DeliveryView | undefined;
    const message = await this.tx.run(context, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      const conversation = await this.channels.conversation(tx, ticketId);
      const channel = conversation && (await this.channels.findChannel(tx, conversation.channelId));
      if (!conversation || channel?.kind !== 'whatsapp') {
        throw new ProblemException({ status: 422, type: 'not-a-whatsapp-conversation', title: 'Unprocessable Content', detail: 'This ticket’s conversation is not on WhatsApp; templates are WhatsApp’s. Reply with POST /v1/tickets/{id}/messages.' });
      }
      const added = await this.commands.execute(new AddMessageCommand(context, ticketId, { body, visibility: 'public', author: 'agent', template: true }));
      queued = await this.channels.insertDelivery(tx, { channelId: channel.id, ticketId, ticketMessageId: added.id, recipient: conversation.contactAddress, template });
      if (queued) await tx.emit(ChannelDeliveryUpdated.of(ticketId, { deliveryId: queued.id, messageId: added.id, channelId: channel.id, status: 'queued', attempts: 0, error: null }));
      await tx.audit({ action: 'ticket.whatsapp_template_sent', entityType: 'ticket', entityId: ticketId, after: { messageId: added.id, template: template.name, language: template.language } });
      return added;
    });
    if (queued) {
      const id = queued.id;
      await this.queues
        .schedule(DeliverMessage, { tenantId: context.tenantId, deliveryId: id }, { key: id, runAt: new Date() })
        .catch((error: unknown) => this.logger.warn({ deliveryId: id, error: String(error) }, 'Delivery not queued; the sweep will'));
    }
    return message;
  }
}
