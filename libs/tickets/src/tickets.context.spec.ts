import { ContextRegistry, rooms, toConsoleEvent as toConsole, type EventEnvelope } from '@switchboard/platform';
import { tenancyContext } from '@switchboard/tenancy';
import { ticketsContext } from './tickets.context';

const registry = new ContextRegistry([tenancyContext, ticketsContext]);
const toConsoleEvent = (envelope: EventEnvelope) => toConsole(registry, envelope);

const envelope = (type: string, payload: Record<string, unknown>, aggregateType = 'ticket'): EventEnvelope => ({
  id: '11111111-1111-4111-8111-111111111111',
  tenantId: '22222222-2222-4222-8222-222222222222',
  type,
  eventVersion: 1,
  aggregateType,
  aggregateId: '33333333-3333-4333-8333-333333333333',
  payload,
  occurredAt: '2026-11-22T06:00:00.000Z',
  actorId: 'user-1',
  correlationId: 'req-1',
});

describe('tickets on the agent console', () => {
  it('maps ticket events to console events with event id, ticket id and version on top', () => {
    expect(toConsoleEvent(envelope('tickets.ticket_updated', { delta: { status: { from: 'new', to: 'open' } }, version: 4 }))).toEqual({
      event: 'ticket.updated',
      data: {
        eventId: '11111111-1111-4111-8111-111111111111',
        ticketId: '33333333-3333-4333-8333-333333333333',
        version: 4,
        occurredAt: '2026-11-22T06:00:00.000Z',
        actorId: 'user-1',
        delta: { status: { from: 'new', to: 'open' } },
      },
    });
    expect(toConsoleEvent(envelope('tickets.message_added', { message: { id: 'm' }, version: 2 }))?.event).toBe('ticket.message_added');
    expect(toConsoleEvent(envelope('tickets.ticket_assigned', { from: null, to: 'u', version: 1 }))?.data).toMatchObject({ from: null, to: 'u', version: 1 });
  });

  it('maps the events beside the ticket (attachments, participants, AI suggestions) without a version', () => {
    const attachment = toConsoleEvent(envelope('tickets.attachment_added', { id: 'a', filename: 'f.png', contentType: 'image/png', size: 3 }));
    expect(attachment).toMatchObject({ event: 'ticket.attachment_added', data: { id: 'a', filename: 'f.png', ticketId: expect.any(String) } });
    expect(attachment!.data).not.toHaveProperty('version');
    expect(toConsoleEvent(envelope('tickets.ai_suggestion_created', { suggestionId: 's', kind: 'summary', ticketVersion: 3, superseded: [] }))).toMatchObject({
      event: 'ticket.ai_suggestion_created',
      data: { suggestionId: 's', kind: 'summary', ticketVersion: 3 },
    });
    expect(toConsoleEvent(envelope('tickets.ai_suggestion_rejected', { suggestionId: 's', reason: 'no' }))?.event).toBe('ticket.ai_suggestion_rejected');
    expect(toConsoleEvent(envelope('tickets.participants_changed', { role: 'cc', participantId: 'c', action: 'add' }))?.event).toBe('ticket.participants_changed');
  });

  it('maps a merge and a macro run with the ticket id and version on top', () => {
    const moved = { messages: 2, attachments: 0, participants: 1, history: 3 };
    expect(toConsoleEvent(envelope('tickets.ticket_merged', { targetId: 't', targetNumber: 1002, moved, version: 5, targetVersion: 7 }))).toMatchObject({
      event: 'ticket.merged',
      data: { ticketId: '33333333-3333-4333-8333-333333333333', version: 5, targetId: 't', targetNumber: 1002, moved, targetVersion: 7 },
    });
    expect(toConsoleEvent(envelope('tickets.macro_applied', { macroId: 'm', macroName: 'Escalate', macroVersion: 2, version: 9 }))).toMatchObject({
      event: 'ticket.macro_applied',
      data: { macroId: 'm', macroVersion: 2, version: 9 },
    });
    expect(toConsoleEvent(envelope('tickets.macro_changed', { action: 'created', name: 'x', version: 1 }, 'ticket_macro'))).toBeNull();
  });

  it('keeps everything else away from consoles', () => {
    expect(toConsoleEvent(envelope('tenancy.tenant_deletion_requested', { slug: 'x' }, 'tenant'))).toBeNull();
    expect(toConsoleEvent(envelope('tickets.ticket_created', { ticket: {}, version: 1 }, 'contact'))).toBeNull();
  });

  it('names rooms per tenant, so equal ids of two tenants never share one', () => {
    expect(rooms.ticket('t1', 'x')).not.toBe(rooms.ticket('t2', 'x'));
    expect(rooms.user('t1', 'u')).not.toBe(rooms.user('t2', 'u'));
  });
});
