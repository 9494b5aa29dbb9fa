import { jest } from '@jest/globals';
import { ProblemException } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { GroupsRepository } from '../../../repositories/groups.repository';
import { aGroup, fakeGroups, GROUP_ID } from '../../../testing/fake-repositories';
import type { AssignmentRepository, AssignmentState } from '../../repositories/assignment.repository';
import { SaveAssignmentPolicyCommand, type AssignmentPolicyChanges } from './save-assignment-policy.command';
import { SaveAssignmentPolicyHandler } from './save-assignment-policy.handler';

const ANN = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const STRANGER = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

function setup() {
  const tx = new FakeTenantTransaction();
  const groups = fakeGroups([aGroup({ assignmentPolicy: null })], { [GROUP_ID]: [ANN] });
  const state: AssignmentState = { groupId: GROUP_ID, mode: null, defaultCapacity: null, cursor: null, assignedCount: 0, version: 4, updatedAt: '' };
  const assignment = {
    states: jest.fn(async () => [state]),
    members: jest.fn(async () => [{ user_id: ANN, capacity: null, load: 0 }]),
    setDefaultCapacity: jest.fn(async () => undefined),
    setMemberCapacity: jest.fn(async () => true),
    bumpVersion: jest.fn(async () => undefined),
  };
  const handler = new SaveAssignmentPolicyHandler(tx.asTenantTransaction(), groups as unknown as GroupsRepository, assignment as unknown as AssignmentRepository);
  const save = (changes: AssignmentPolicyChanges, version: number | null = null) => handler.execute(new SaveAssignmentPolicyCommand(testContext(), GROUP_ID, changes, version));
  return { tx, groups, assignment, save };
}

describe('SaveAssignmentPolicyHandler', () => {
  it('writes what differs, audits it once and announces it; the mode is the group’s assignmentPolicy', async () => {
    const { tx, groups, assignment, save } = setup();
    expect(await save({ mode: 'least_loaded', defaultCapacity: 3, members: [{ userId: ANN, capacity: 5 }] }, 4)).toEqual({ version: 5, changed: true });
    expect(groups.rows.get(GROUP_ID)!.assignmentPolicy).toBe('least_loaded');
    expect(assignment.setDefaultCapacity).toHaveBeenCalledWith(expect.anything(), GROUP_ID, 3);
    expect(assignment.setMemberCapacity).toHaveBeenCalledWith(expect.anything(), GROUP_ID, ANN, 5);
    expect(tx.audits).toEqual([
      expect.objectContaining({
        action: 'ticket_group.assignment_policy_updated',
        before: { mode: 'none', defaultCapacity: null, memberCapacities: { [ANN]: null } },
        after: { mode: 'least_loaded', defaultCapacity: 3, memberCapacities: { [ANN]: 5 } },
      }),
    ]);
    expect(tx.emitted.map((e) => e.type)).toEqual(['tickets.group_updated', 'tickets.assignment_policy_changed']);
  });

  it('changes nothing for the same values, refuses a stale version and a capacity for a non-member', async () => {
    const { tx, save } = setup();
    expect(await save({ mode: 'none', defaultCapacity: null })).toEqual({ version: 4, changed: false });
    await expect(save({ defaultCapacity: 1 }, 3)).rejects.toMatchObject({ problem: { status: 412 } });
    const refused = await save({ members: [{ userId: STRANGER, capacity: 1 }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).problem).toMatchObject({ status: 422, detail: expect.stringContaining(STRANGER) });
    expect(tx.audits).toEqual([]);
    expect(tx.emitted).toEqual([]);
  });
});
