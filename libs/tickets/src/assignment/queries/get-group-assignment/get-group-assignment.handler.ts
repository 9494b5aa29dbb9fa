import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AgentPresenceReader, notFound, TenantTransaction } from '@switchboard/platform';
import { GroupsRepository } from '../../../repositories/groups.repository';
import { ineligibility, modeOf } from '../../domain/assignment-policy';
import type { AssignmentOverview } from '../../domain/assignment-view';
import { AssignmentRepository } from '../../repositories/assignment.repository';
import { GetGroupAssignmentQuery } from './get-group-assignment.query';

/** A group's policy and each member's load, capacity and presence: who would get the next ticket's chance, and why not. */
@QueryHandler(GetGroupAssignmentQuery)
export class GetGroupAssignmentHandler implements IQueryHandler<GetGroupAssignmentQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly presence: AgentPresenceReader,
    private readonly groups: GroupsRepository,
    private readonly assignment: AssignmentRepository,
  ) {}

  async execute({ tenantId, groupId }: GetGroupAssignmentQuery): Promise<AssignmentOverview> {
    const presence = await this.presence.statuses(tenantId);
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const group = await this.groups.find(tx, groupId, { live: true });
      if (!group) throw notFound('Group', groupId);
      const [state] = await this.assignment.states(tx, [groupId], { lock: false, withPolicyOnly: false, ensure: false });
      const defaultCapacity = state?.defaultCapacity ?? null;
      const members = (await this.assignment.members(tx, groupId)).map((m) => {
        const candidate = { userId: m.user_id, load: m.load, capacity: m.capacity ?? defaultCapacity, presence: presence.get(m.user_id) ?? 'offline' };
        const reason = ineligibility(candidate);
        return { userId: m.user_id, capacity: m.capacity, effectiveCapacity: candidate.capacity, load: m.load, presence: candidate.presence, eligible: reason === null, reason };
      });
      return {
        groupId,
        mode: modeOf(group.assignmentPolicy),
        defaultCapacity,
        waiting: await this.assignment.waitingCount(tx, groupId),
        lastAssigneeId: state?.cursor ?? null,
        assignedCount: state?.assignedCount ?? 0,
        members,
        version: state?.version ?? 1,
        updatedAt: state?.updatedAt ?? null,
      };
    });
  }
}
