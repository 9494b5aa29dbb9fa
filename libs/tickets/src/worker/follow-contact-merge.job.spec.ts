import { ContactsMerged } from '@switchboard/customers';
import type { EnvelopeOf } from '@switchboard/platform';
import { RecordingTenantTx, testContext } from '@switchboard/platform/testing';
import type { MessagesRepository } from '../repositories/messages.repository';
import type { TicketsRepository } from '../repositories/tickets.repository';
import { aTicket, fakeMessages, fakeTickets, NOW, REQUESTER_ID } from '../testing/fake-repositories';
import { FollowContactMergeJob } from './follow-contact-merge.job';

const TARGET_ID = '77777777-7777-4777-8777-777777777777';
const T1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const T2 = 'bbbbbbbb-0000-4000-8000-000000000002';
const OTHER = 'cccccccc-0000-4000-8000-000000000003';

const merged = (): EnvelopeOf<typeof ContactsMerged> => ({
  id: 'event-1',
  tenantId: testContext().tenantId,
  type: ContactsMerged.type,
  eventVersion: 1,
  aggregateType: 'contact',
  aggregateId: TARGET_ID,
  payload: { targetId: TARGET_ID, sourceId: REQUESTER_ID },
  occurredAt: NOW,
  actorId: null,
  correlationId: null,
});

describe('FollowContactMergeJob', () => {
  it('moves the source’s tickets and messages to the target, with history and an update event per moved ticket', async () => {
    const tickets = fakeTickets(aTicket({ id: T1, version: 1 }), aTicket({ id: T2, version: 5 }), aTicket({ id: OTHER, requesterId: TARGET_ID }));
    const messages = fakeMessages();
    const tx = new RecordingTenantTx(testContext({ actorId: null, actorType: undefined }));
    await new FollowContactMergeJob(tickets as unknown as TicketsRepository, messages as unknown as MessagesRepository).handle(merged(), tx);

    expect(tickets.reassignRequester).toHaveBeenCalledWith(tx, REQUESTER_ID, TARGET_ID);
    expect(messages.reassignContactAuthor).toHaveBeenCalledWith(tx, REQUESTER_ID, TARGET_ID);
    const delta = { requesterId: { from: REQUESTER_ID, to: TARGET_ID } };
    expect(tickets.recordHistory.mock.calls.map(([, id, action, changes]) => [id, action, changes])).toEqual([
      [T1, 'ticket.requester_merged', delta],
      [T2, 'ticket.requester_merged', delta],
    ]);
    expect(tx.emitted.map(({ type, aggregateId, payload }) => ({ type, aggregateId, payload }))).toEqual([
      { type: 'tickets.ticket_updated', aggregateId: T1, payload: { delta, version: 2 } },
      { type: 'tickets.ticket_updated', aggregateId: T2, payload: { delta, version: 6 } },
    ]);
  });
});
