import { randomUUID } from 'node:crypto';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { FindOrCreateContactCommand } from '@switchboard/customers';
import { ProblemException, TenantTransaction, type CommandContext } from '@switchboard/platform';
import { AddMessageCommand } from '../../../commands/add-message/add-message.command';
import { CreateTicketCommand } from '../../../commands/create-ticket/create-ticket.command';
import { TicketsRepository } from '../../../repositories/tickets.repository';
import { VisitorAccess, visitorUnauthorized } from '../../adapters/visitor-access.service';
import { VisitorPush } from '../../adapters/visitor-push.service';
import { newToken } from '../../domain/email-threading';
import { VISITOR_MESSAGE_MAX, visitorSubject } from '../../domain/widget';
import { ChannelsRepository } from '../../repositories/channels.repository';
import { WidgetSessionsRepository, type VisitorMessage } from '../../repositories/widget-sessions.repository';
import { PostVisitorMessageCommand } from './post-visitor-message.command';

/**
 * A visitor's message: the first one finds or creates the contact (by the email they gave, else an
 * anonymous visitor known by the session) and opens a ticket on the web channel; later ones
 * continue it (a closed ticket is not reopened: the next message starts a new one). The session
 * row is locked, so two first messages sent at once open one ticket.
 */
@CommandHandler(PostVisitorMessageCommand)
export class PostVisitorMessageHandler implements ICommandHandler<PostVisitorMessageCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly commands: CommandBus,
    private readonly access: VisitorAccess,
    private readonly sessions: WidgetSessionsRepository,
    private readonly channels: ChannelsRepository,
    private readonly tickets: TicketsRepository,
    private readonly push: VisitorPush,
  ) {}

  async execute({ publicKey, origin, token, body, correlationId }: PostVisitorMessageCommand): Promise<VisitorMessage> {
    const text = body.trim();
    if (!text || text.length > VISITOR_MESSAGE_MAX) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `A message has 1 to ${VISITOR_MESSAGE_MAX} characters.`, errors: [{ field: 'body', message: `must have 1 to ${VISITOR_MESSAGE_MAX} characters` }] });
    }
    const { channel, session } = await this.access.visitor(publicKey, origin, token);
    const context: CommandContext = { tenantId: channel.tenantId, actorId: null, actorType: 'system', correlationId: correlationId ?? randomUUID() };
    const message = await this.tx.run(context, async (tx) => {
      const current = await this.sessions.lock(tx, session.id);
      if (!current) throw visitorUnauthorized();
      let contactId = current.contactId;
      if (!contactId) {
        const identity = current.email ? { email: current.email } : { channel: 'external' as const, externalId: `web:${current.id}` };
        contactId = (await this.commands.execute(new FindOrCreateContactCommand(context, identity, current.name ?? (current.email ? undefined : `Web visitor ${current.id.slice(0, 8)}`)))).contact.id;
      }
      const open = current.ticketId ? await this.tickets.find(tx, current.ticketId) : undefined;
      let ticketId = open && open.status !== 'closed' ? open.id : undefined;
      if (!ticketId) {
        const subject = visitorSubject(text);
        ticketId = (await this.commands.execute(new CreateTicketCommand(context, { subject, channel: 'web', requesterId: contactId }))).id;
        await this.channels.insertConversation(tx, { ticketId, channelId: channel.id, token: newToken(), contactAddress: current.id, subject, threadIndex: null });
        await this.sessions.attach(tx, current.id, contactId, ticketId);
      } else {
        await this.sessions.touch(tx, current.id);
      }
      const added = await this.commands.execute(new AddMessageCommand(context, ticketId, { body: text, visibility: 'public', author: 'requester', contactId }));
      return { id: added.id, author: 'visitor' as const, body: added.body, createdAt: added.createdAt };
    });
    // The visitor's other tabs see it too.
    this.push.message(channel.tenantId, session.id, message);
    return message;
  }
}
