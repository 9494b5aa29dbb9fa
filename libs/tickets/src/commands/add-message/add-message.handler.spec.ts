import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { Status } from '../../domain/ticket';
import type { ChannelsRepository } from '../../channels/repositories/channels.repository';
import type { MessagesRepository } from '../../repositories/messages.repository';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import { aTicket, fakeMessages, fakeTickets, NEW_ID, NOW, REQUESTER_ID, TICKET_ID } from '../../testing/fake-repositories';
import { AddMessageCommand, type NewMessage } from './add-message.command';
import { AddMessageHandler } from './add-message.handler';

const context = testContext();

function setup(status: Status | null) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(...(status ? [aTicket({ status, version: 3 })] : []));
  const messages = fakeMessages();
  const chat: { window: { kind: 'whatsapp' | 'email'; lastInboundAt: Date | null } | undefined } = { window: undefined };
  const channels = { chatWindow: async () => chat.window };
  const handler = new AddMessageHandler(tx.asTenantTransaction(), tickets as unknown as TicketsRepository, messages as unknown as MessagesRepository, channels as unknown as ChannelsRepository);
  const add = (message: Partial<NewMessage>) => handler.execute(new AddMessageCommand(context, TICKET_ID, { body: 'We are on it.', visibility: 'public', author: 'agent', ...message }));
  return { tx, tickets, messages, add, chat };
}

describe('AddMessageHandler', () => {
  it('an agent’s first public reply opens a new ticket: message, status, history, audit and both events', async () => {
    const { tx, tickets, messages, add } = setup('new');
    const message = await add({});

    expect(messages.insert).toHaveBeenCalledWith(expect.anything(), TICKET_ID, { visibility: 'public', authorType: 'agent', authorId: context.actorId, body: 'We are on it.', html: null });
    expect(tickets.touchAfterMessage).toHaveBeenCalledWith(expect.anything(), TICKET_ID, 'open');
    expect(tickets.recordHistory).toHaveBeenCalledWith(expect.anything(), TICKET_ID, 'ticket.message_added', {
      message: { to: { id: NEW_ID, visibility: 'public', authorType: 'agent' } },
      status: { from: 'new', to: 'open' },
    });
    expect(tx.audits).toEqual([{ action: 'ticket.message_added', entityType: 'ticket', entityId: TICKET_ID, after: { messageId: NEW_ID, visibility: 'public', status: 'open' } }]);
    expect(tx.emitted).toEqual([
      { type: 'tickets.message_added', aggregateId: TICKET_ID, payload: { message, version: 4 } },
      { type: 'tickets.ticket_status_changed', aggregateId: TICKET_ID, payload: { from: 'new', to: 'open', version: 4 } },
    ]);
    expect(message).toEqual({ id: NEW_ID, ticketId: TICKET_ID, visibility: 'public', authorType: 'agent', authorId: context.actorId, body: 'We are on it.', html: null, createdAt: NOW });
  });

  it('an internal note leaves the status alone (the version still counts up)', async () => {
    const { tx, tickets, add } = setup('new');
    await add({ visibility: 'internal' });
    expect(tickets.touchAfterMessage).toHaveBeenCalledWith(expect.anything(), TICKET_ID, 'new');
    expect(tickets.recordHistory.mock.calls[0]![3]).not.toHaveProperty('status');
    expect(tx.emitted.map((e) => [e.type, (e.payload as { version: number }).version])).toEqual([['tickets.message_added', 4]]);
  });

  it('a reply on the requester’s behalf is authored by the requester and reopens a solved ticket', async () => {
    const { tx, messages, add } = setup('solved');
    await add({ author: 'requester' });
    expect(messages.insert).toHaveBeenCalledWith(expect.anything(), TICKET_ID, expect.objectContaining({ authorType: 'contact', authorId: REQUESTER_ID }));
    expect(tx.emitted[1]).toEqual({ type: 'tickets.ticket_status_changed', aggregateId: TICKET_ID, payload: { from: 'solved', to: 'open', version: 4 } });
  });

  it('stores formatted text sanitized', async () => {
    const { messages, add } = setup('open');
    await add({ html: '<p onclick="steal()">Hi <script>alert(1)</script><b>there</b></p>' });
    const { html } = messages.insert.mock.calls[0]![2];
    expect(html).toContain('<b>there</b>');
    expect(html).not.toMatch(/script|onclick/);
  });

  it('refuses a closed ticket with 422 ticket-closed and writes nothing', async () => {
    const { tx, tickets, messages, add } = setup('closed');
    await expect(add({})).rejects.toMatchObject({ problem: { status: 422, type: 'ticket-closed' } });
    expect(messages.insert).not.toHaveBeenCalled();
    expect(tickets.touchAfterMessage).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a missing ticket', async () => {
    const { tx, messages, add } = setup(null);
    await expect(add({})).rejects.toMatchObject({ problem: { status: 404 } });
    expect(messages.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses a free-text public reply on a WhatsApp conversation outside the 24-hour window; notes, templates and replies inside it pass', async () => {
    const { add, chat, messages } = setup('open');
    chat.window = { kind: 'whatsapp', lastInboundAt: new Date(Date.now() - 25 * 3600_000) };
    await expect(add({})).rejects.toMatchObject({ problem: { status: 422, type: 'whatsapp-window-closed' } });
    chat.window = { kind: 'whatsapp', lastInboundAt: null };
    await expect(add({})).rejects.toMatchObject({ problem: { type: 'whatsapp-window-closed' } });
    expect(messages.insert).not.toHaveBeenCalled();
    await add({ visibility: 'internal' });
    await add({ template: true });
    chat.window = { kind: 'whatsapp', lastInboundAt: new Date(Date.now() - 23 * 3600_000) };
    await add({});
    chat.window = { kind: 'email', lastInboundAt: null };
    await add({});
    expect(messages.insert).toHaveBeenCalledTimes(4);
  });
});
