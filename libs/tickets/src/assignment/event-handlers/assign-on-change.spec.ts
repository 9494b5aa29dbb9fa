import type { EventEnvelope } from '@switchboard/platform';
import { assignmentTrigger } from './assign-on-change';
import { AssignWaitingTicketsJob } from './assign-waiting.job';

const envelope = (type: string, payload: Record<string, unknown>, aggregateId = 't1'): EventEnvelope =>
  ({ id: 'e1', tenantId: 'tenant', type, eventVersion: 1, aggregateType: 'ticket', aggregateId, payload, occurredAt: '', actorId: null, correlationId: 'c1' }) as EventEnvelope;

describe('assignmentTrigger', () => {
  it('moves a group’s queue when an unassigned, workable ticket is created in it', () => {
    expect(assignmentTrigger(envelope('tickets.ticket_created', { ticket: { groupId: 'g', assigneeId: null, status: 'new' } }))).toEqual({ groupIds: ['g'] });
    expect(assignmentTrigger(envelope('tickets.ticket_created', { ticket: { groupId: 'g', assigneeId: 'u', status: 'new' } }))).toBeNull();
    expect(assignmentTrigger(envelope('tickets.ticket_created', { ticket: { groupId: 'g', assigneeId: null, status: 'pending' } }))).toBeNull();
    expect(assignmentTrigger(envelope('tickets.ticket_created', { ticket: { groupId: null, assigneeId: null, status: 'new' } }))).toBeNull();
  });

  it('follows group, status and assignee changes, the previous assignee included, but not an assignment from nobody', () => {
    expect(assignmentTrigger(envelope('tickets.ticket_updated', { delta: { status: { from: 'open', to: 'solved' } } }))).toEqual({ ticketIds: ['t1'], agentIds: [] });
    expect(assignmentTrigger(envelope('tickets.ticket_updated', { delta: { assigneeId: { from: 'a', to: 'b' } } }))).toEqual({ ticketIds: ['t1'], agentIds: ['a'] });
    expect(assignmentTrigger(envelope('tickets.ticket_updated', { delta: { assigneeId: { from: null, to: 'b' } } }))).toBeNull();
    expect(assignmentTrigger(envelope('tickets.ticket_updated', { delta: { subject: { from: 'x', to: 'y' } } }))).toBeNull();
  });

  it('follows members joining, and policy changes', () => {
    expect(assignmentTrigger(envelope('tickets.group_membership_changed', { userId: 'u', action: 'add' }, 'g'))).toEqual({ groupIds: ['g'] });
    expect(assignmentTrigger(envelope('tickets.group_membership_changed', { userId: 'u', action: 'remove' }, 'g'))).toBeNull();
    expect(assignmentTrigger(envelope('tickets.group_updated', { delta: { assignmentPolicy: { from: null, to: 'round_robin' } } }, 'g'))).toEqual({ groupIds: ['g'] });
    expect(assignmentTrigger(envelope('tickets.group_updated', { delta: { name: { from: 'a', to: 'b' } } }, 'g'))).toBeNull();
    expect(assignmentTrigger(envelope('tickets.assignment_policy_changed', { before: {}, after: {} }, 'g'))).toEqual({ groupIds: ['g'] });
  });
});

describe('AssignWaitingTicketsJob', () => {
  it('assigns for a triggering event as the system, then writes its receipt; other events only get the receipt', async () => {
    const sent: unknown[] = [];
    const receipts: string[] = [];
    const job = new AssignWaitingTicketsJob({ execute: async (c: unknown) => void sent.push(c) } as never, { once: async (consumer: string) => (receipts.push(consumer), true) } as never);
    await job.handle(envelope('tickets.ticket_created', { ticket: { groupId: 'g', assigneeId: null, status: 'open' } }), 'tickets:tickets.assign-waiting');
    await job.handle(envelope('tickets.ticket_updated', { delta: { subject: { from: 'x', to: 'y' } } }), 'tickets:tickets.assign-waiting');
    expect(sent).toEqual([expect.objectContaining({ context: { tenantId: 'tenant', actorId: null, correlationId: 'c1' }, trigger: { groupIds: ['g'] } })]);
    expect(receipts).toEqual(['tickets:tickets.assign-waiting', 'tickets:tickets.assign-waiting']);
  });
});
