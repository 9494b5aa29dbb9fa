import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import type { AgentPresenceReader, PresenceStatus } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import type { GroupsRepository } from '../../../repositories/groups.repository';
import type { TicketsRepository } from '../../../repositories/tickets.repository';
import { aGroup, aTicket, fakeGroups, fakeTickets, GROUP_ID } from '../../../testing/fake-repositories';
import type { AssignmentRepository, AssignmentState } from '../../repositories/assignment.repository';
import { AssignWaitingTicketsCommand } from './assign-waiting-tickets.command';
import { AssignWaitingTicketsHandler } from './assign-waiting-tickets.handler';

const ANN = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const BOB = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const T1 = '11111111-0000-4000-8000-000000000001';
const T2 = '11111111-0000-4000-8000-000000000002';
const T3 = '11111111-0000-4000-8000-000000000003';

function setup(opts: { mode: string | null; presence: Record<string, PresenceStatus>; loads?: Record<string, number>; capacity?: number | null }) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(...[T1, T2, T3].map((id) => aTicket({ id, groupId: GROUP_ID, assigneeId: null, status: 'new' })));
  const groups = fakeGroups([aGroup({ assignmentPolicy: opts.mode })], { [GROUP_ID]: [ANN, BOB] });
  const state: AssignmentState = { groupId: GROUP_ID, mode: opts.mode, defaultCapacity: opts.capacity ?? null, cursor: null, assignedCount: 0, version: 1, updatedAt: '' };
  const calls: string[] = [];
  const assignment = {
    states: jest.fn(async () => (calls.push('lock groups'), opts.mode ? [state] : [])),
    groupsOf: jest.fn(async () => [] as string[]),
    members: jest.fn(async () => [ANN, BOB].map((u) => ({ user_id: u, capacity: null, load: opts.loads?.[u] ?? 0 }))),
    lockAgents: jest.fn(async (_tx: unknown, ids: readonly string[]) => void calls.push(`lock agents ${[...ids].sort().join(',')}`)),
    waiting: jest.fn(async () => (calls.push('pick waiting'), [T1, T2, T3].filter((id) => tickets.rows.get(id)!.assigneeId === null))),
    advanceCursor: jest.fn(async (_tx: unknown, _g: string, userId: string, n: number) => void calls.push(`cursor ${userId} +${n}`)),
  };
  const presence = { statuses: jest.fn(async () => (calls.push('presence'), new Map(Object.entries(opts.presence)))) };
  const queries = { execute: jest.fn(async (q: unknown) => (q instanceof GetMemberRoleQuery ? 'agent' : undefined)) };
  const handler = new AssignWaitingTicketsHandler(
    tx.asTenantTransaction(),
    presence as unknown as AgentPresenceReader,
    queries as unknown as QueryBus,
    tickets as unknown as TicketsRepository,
    groups as unknown as GroupsRepository,
    assignment as unknown as AssignmentRepository,
  );
  const run = () => handler.execute(new AssignWaitingTicketsCommand(testContext({ actorId: 'someone' }), { groupIds: [GROUP_ID] }));
  return { tx, tickets, assignment, calls, run };
}

describe('AssignWaitingTicketsHandler', () => {
  it('reads presence first, then locks the group, then its agents, before picking tickets; hands them out in turn as the system', async () => {
    const { tx, tickets, calls, run } = setup({ mode: 'round_robin', presence: { [ANN]: 'online', [BOB]: 'online' } });
    expect(await run()).toEqual([
      { ticketId: T1, groupId: GROUP_ID, assigneeId: ANN },
      { ticketId: T2, groupId: GROUP_ID, assigneeId: BOB },
      { ticketId: T3, groupId: GROUP_ID, assigneeId: ANN },
    ]);
    expect(calls).toEqual(['presence', 'lock groups', `lock agents ${ANN},${BOB}`, 'pick waiting', `cursor ${ANN} +3`]);
    expect(tx.emitted.filter((e) => e.type === 'tickets.ticket_assigned').map((e) => e.payload)).toEqual([
      expect.objectContaining({ from: null, to: ANN }),
      expect.objectContaining({ from: null, to: BOB }),
      expect.objectContaining({ from: null, to: ANN }),
    ]);
    expect(tx.committed[0].context).toMatchObject({ actorId: null, actorType: 'system' });
    expect(tx.audits.map((a) => a.action)).toEqual(['ticket.updated', 'ticket.updated', 'ticket.updated']);
    expect(tickets.recordHistory).toHaveBeenCalledWith(expect.anything(), T1, 'ticket.auto_assigned', { assigneeId: { from: null, to: ANN }, assignmentPolicy: { to: 'round_robin' } });
  });

  it('stops at capacity and skips agents who are not online', async () => {
    const { tickets, run } = setup({ mode: 'least_loaded', presence: { [ANN]: 'online', [BOB]: 'away' }, loads: { [ANN]: 1 }, capacity: 2 });
    expect((await run()).map((a) => a.assigneeId)).toEqual([ANN]);
    expect([T1, T2, T3].map((id) => tickets.rows.get(id)!.assigneeId)).toEqual([ANN, null, null]);
  });

  it('does nothing (and locks no agent) for a group without a policy or without anyone eligible', async () => {
    const none = setup({ mode: null, presence: { [ANN]: 'online' } });
    expect(await none.run()).toEqual([]);
    expect(none.assignment.lockAgents).not.toHaveBeenCalled();
    const offline = setup({ mode: 'round_robin', presence: {} });
    expect(await offline.run()).toEqual([]);
    expect(offline.assignment.waiting).not.toHaveBeenCalled();
    expect(offline.tx.emitted).toEqual([]);
  });
});
