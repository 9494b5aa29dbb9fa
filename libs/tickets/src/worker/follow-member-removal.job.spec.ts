import type { EnvelopeOf } from '@switchboard/platform';
import { RecordingTenantTx, testContext } from '@switchboard/platform/testing';
import { MemberRemoved } from '@switchboard/tenancy';
import type { GroupsRepository } from '../repositories/groups.repository';
import { AGENT_ID, aGroup, fakeGroups, GROUP_ID, NOW } from '../testing/fake-repositories';
import { FollowMemberRemovalJob } from './follow-member-removal.job';

const OTHER_GROUP = '12121212-1212-4121-8121-121212121212';

const removed = (): EnvelopeOf<typeof MemberRemoved> => ({
  id: 'event-1',
  tenantId: testContext().tenantId,
  type: MemberRemoved.type,
  eventVersion: 1,
  aggregateType: 'membership',
  aggregateId: 'membership-1',
  payload: { userId: AGENT_ID },
  occurredAt: NOW,
  actorId: null,
  correlationId: null,
});

describe('FollowMemberRemovalJob', () => {
  it('takes a member who left the tenant out of every group, announcing each, and does nothing the second time', async () => {
    const groups = fakeGroups([aGroup(), aGroup({ id: OTHER_GROUP, name: 'Field' })], { [GROUP_ID]: [AGENT_ID, 'someone-else'], [OTHER_GROUP]: [AGENT_ID] });
    const job = new FollowMemberRemovalJob(groups as unknown as GroupsRepository);
    const tx = new RecordingTenantTx(testContext({ actorId: null, actorType: undefined }));
    await job.handle(removed(), tx);

    expect(await groups.isMember(tx, GROUP_ID, AGENT_ID)).toBe(false);
    expect(await groups.isMember(tx, GROUP_ID, 'someone-else')).toBe(true);
    expect(tx.emitted.map((e) => [e.type, e.aggregateId, e.payload])).toEqual([
      ['tickets.group_membership_changed', GROUP_ID, { userId: AGENT_ID, action: 'remove' }],
      ['tickets.group_membership_changed', OTHER_GROUP, { userId: AGENT_ID, action: 'remove' }],
    ]);

    const again = new RecordingTenantTx(testContext({ actorId: null, actorType: undefined }));
    await job.handle(removed(), again);
    expect(again.emitted).toEqual([]);
  });
});
