import { jest } from '@jest/globals';
import type { CommandBus } from '@nestjs/cqrs';
import type { TenantTransaction } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { TicketsRepository } from '../../../repositories/tickets.repository';
import type { VisitorAccess } from '../../adapters/visitor-access.service';
import type { VisitorPush } from '../../adapters/visitor-push.service';
import type { ChannelRecord, ChannelsRepository } from '../../repositories/channels.repository';
import type { WidgetSession, WidgetSessionsRepository } from '../../repositories/widget-sessions.repository';
import { PostVisitorMessageCommand } from './post-visitor-message.command';
import { PostVisitorMessageHandler } from './post-visitor-message.handler';

const TENANT = '11111111-1111-4111-8111-111111111111';
const channel = { tenantId: TENANT, id: 'ch1', kind: 'web', status: 'active', publicKey: 'wk_x', widget: { allowedOrigins: ['*'], greeting: 'Hi', color: '#000000', collectContact: 'optional' } } as unknown as ChannelRecord;
const session = (s: Partial<WidgetSession>): WidgetSession => ({ tenantId: TENANT, id: 's1', channelId: 'ch1', secretHash: 'h', name: null, email: null, contactId: null, ticketId: null, expiresAt: new Date(Date.now() + 60_000), ...s });

function setup(current: WidgetSession, ticket?: { id: string; status: string }) {
  const tx = new FakeTenantTransaction();
  const executed: { name: string; args: any }[] = [];
  const commands = {
    execute: jest.fn(async (command: any) => {
      const name = command.constructor.name as string;
      executed.push({ name, args: command });
      if (name === 'FindOrCreateContactCommand') return { contact: { id: 'contact1' } };
      if (name === 'CreateTicketCommand') return { id: 'ticket-new' };
      return { id: 'm1', body: command.message.body, createdAt: '2026-12-07T10:00:00.000Z' };
    }),
  };
  const sessions = { lock: jest.fn(async () => current), attach: jest.fn(async () => undefined), touch: jest.fn(async () => undefined) };
  const channels = { insertConversation: jest.fn(async () => undefined) };
  const tickets = { find: jest.fn(async () => ticket) };
  const access = { visitor: jest.fn(async () => ({ channel, session: current })) };
  const push = { message: jest.fn() };
  const handler = new PostVisitorMessageHandler(
    tx as unknown as TenantTransaction,
    commands as unknown as CommandBus,
    access as unknown as VisitorAccess,
    sessions as unknown as WidgetSessionsRepository,
    channels as unknown as ChannelsRepository,
    tickets as unknown as TicketsRepository,
    push as unknown as VisitorPush,
  );
  const send = (body: string) => handler.execute(new PostVisitorMessageCommand('wk_x', 'https://shop.example', 'wvt_t', body, 'req-1'));
  return { send, executed, sessions, channels, access, push };
}

describe('PostVisitorMessageHandler', () => {
  it('opens a ticket on the first message with the contact found by the visitor’s email, and pushes the message to their room', async () => {
    const { send, executed, sessions, channels, push } = setup(session({ name: 'Robin', email: 'robin@customer.example' }));
    expect(await send('  Where is my order?\nIt was due Monday.  ')).toEqual({ id: 'm1', author: 'visitor', body: 'Where is my order?\nIt was due Monday.', createdAt: '2026-12-07T10:00:00.000Z' });
    expect(executed.map((e) => e.name)).toEqual(['FindOrCreateContactCommand', 'CreateTicketCommand', 'AddMessageCommand']);
    expect(executed[0]!.args).toMatchObject({ identity: { email: 'robin@customer.example' }, name: 'Robin' });
    expect(executed[1]!.args.input).toEqual({ subject: 'Where is my order?', channel: 'web', requesterId: 'contact1' });
    expect(executed[2]!.args.message).toMatchObject({ visibility: 'public', author: 'requester', contactId: 'contact1' });
    expect(channels.insertConversation).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ ticketId: 'ticket-new', channelId: 'ch1', contactAddress: 's1' }));
    expect(sessions.attach).toHaveBeenCalledWith(expect.anything(), 's1', 'contact1', 'ticket-new');
    expect(push.message).toHaveBeenCalledWith(TENANT, 's1', expect.objectContaining({ id: 'm1', author: 'visitor' }));
  });

  it('an anonymous visitor becomes a contact known by the session; a continuing conversation appends; a closed ticket is not reopened', async () => {
    const anon = setup(session({}));
    await anon.send('Hello');
    expect(anon.executed[0]!.args).toMatchObject({ identity: { channel: 'external', externalId: 'web:s1' }, name: 'Web visitor s1' });

    const continuing = setup(session({ contactId: 'contact1', ticketId: 't-open' }), { id: 't-open', status: 'pending' });
    await continuing.send('More details');
    expect(continuing.executed.map((e) => e.name)).toEqual(['AddMessageCommand']);
    expect(continuing.executed[0]!.args.ticketId).toBe('t-open');
    expect(continuing.sessions.touch).toHaveBeenCalled();

    const closed = setup(session({ contactId: 'contact1', ticketId: 't-closed' }), { id: 't-closed', status: 'closed' });
    await closed.send('Back again');
    expect(closed.executed.map((e) => e.name)).toEqual(['CreateTicketCommand', 'AddMessageCommand']);
  });

  it('refuses an empty or oversized message before looking at the token', async () => {
    const { send, access } = setup(session({}));
    await expect(send('   ')).rejects.toMatchObject({ problem: { status: 400 } });
    await expect(send('x'.repeat(4001))).rejects.toMatchObject({ problem: { status: 400 } });
    expect(access.visitor).not.toHaveBeenCalled();
  });
});
