import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, staleVersion, TenantTransaction } from '@switchboard/platform';
import { GroupsRepository } from '../../../repositories/groups.repository';
import { GroupUpdated } from '../../../tickets.context';
import { modeOf } from '../../domain/assignment-policy';
import { AssignmentPolicyChanged } from '../../assignment.registration';
import { AssignmentRepository } from '../../repositories/assignment.repository';
import { SaveAssignmentPolicyCommand } from './save-assignment-policy.command';

/**
 * Changes a group's mode, default capacity and members' own capacities together; only what
 * differs is written, audited once and announced. The mode is the group's `assignmentPolicy`,
 * so a change of mode is also a group update (its version moves, GroupUpdated says so).
 */
@CommandHandler(SaveAssignmentPolicyCommand)
export class SaveAssignmentPolicyHandler implements ICommandHandler<SaveAssignmentPolicyCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly groups: GroupsRepository,
    private readonly assignment: AssignmentRepository,
  ) {}

  execute({ context, groupId, changes, expectedVersion }: SaveAssignmentPolicyCommand): Promise<{ version: number; changed: boolean }> {
    return this.tx.run(context, async (tx) => {
      const group = await this.groups.find(tx, groupId, { lock: true, live: true });
      if (!group) throw notFound('Group', groupId);
      const [state] = await this.assignment.states(tx, [groupId], { lock: true, withPolicyOnly: false });
      if (expectedVersion !== null && expectedVersion !== state.version) throw staleVersion('assignment policy', expectedVersion, state.version);
      const members = new Map((await this.assignment.members(tx, groupId)).map((m) => [m.user_id, m.capacity]));
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};

      const mode = modeOf(group.assignmentPolicy);
      if (changes.mode !== undefined && changes.mode !== mode) {
        before.mode = mode;
        after.mode = changes.mode;
        const updated = await this.groups.update(tx, groupId, { ...group, assignmentPolicy: changes.mode === 'none' ? null : changes.mode });
        await tx.emit(GroupUpdated.of(groupId, { delta: { assignmentPolicy: { from: group.assignmentPolicy, to: updated.assignmentPolicy } }, version: updated.version }));
      }
      if (changes.defaultCapacity !== undefined && changes.defaultCapacity !== state.defaultCapacity) {
        before.defaultCapacity = state.defaultCapacity;
        after.defaultCapacity = changes.defaultCapacity;
        await this.assignment.setDefaultCapacity(tx, groupId, changes.defaultCapacity);
      }
      const strangers = (changes.members ?? []).filter((m) => !members.has(m.userId));
      if (strangers.length > 0) {
        throw new ProblemException({
          status: 422,
          type: 'invalid-reference',
          title: 'Unprocessable Content',
          detail: `Only members of the group have a capacity in it; ${strangers.map((m) => m.userId).join(', ')} ${strangers.length === 1 ? 'is' : 'are'} not one.`,
          errors: strangers.map((m) => ({ field: 'members', message: `${m.userId} is not a member of the group` })),
        });
      }
      const capacities: Record<string, { from: number | null; to: number | null }> = {};
      for (const m of changes.members ?? []) {
        if (members.get(m.userId) === m.capacity) continue;
        capacities[m.userId] = { from: members.get(m.userId) ?? null, to: m.capacity };
        members.set(m.userId, m.capacity);
        await this.assignment.setMemberCapacity(tx, groupId, m.userId, m.capacity);
      }
      if (Object.keys(capacities).length > 0) {
        before.memberCapacities = Object.fromEntries(Object.entries(capacities).map(([k, v]) => [k, v.from]));
        after.memberCapacities = Object.fromEntries(Object.entries(capacities).map(([k, v]) => [k, v.to]));
      }
      if (Object.keys(after).length === 0) return { version: state.version, changed: false };
      await this.assignment.bumpVersion(tx, groupId);
      await tx.audit({ action: 'ticket_group.assignment_policy_updated', entityType: 'ticket_group', entityId: groupId, before, after });
      await tx.emit(AssignmentPolicyChanged.of(groupId, { before, after, version: state.version + 1 }));
      return { version: state.version + 1, changed: true };
    });
  }
}
