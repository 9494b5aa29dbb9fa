import { ProblemException, type TenantTx } from '@switchboard/platform';
import type { GroupsRepository } from '../repositories/groups.repository';
import { AI_ASSISTS, type AiAssist, type GroupView } from '../repositories/groups.sql';

const unprocessable = (field: string, detail: string) =>
  new ProblemException({ status: 422, type: 'invalid-reference', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });

/** A ticket's group must be a live group of this tenant; another tenant's id looks like no group at all. */
export async function assertLiveGroup(tx: TenantTx, groups: GroupsRepository, groupId: string, field = 'groupId'): Promise<GroupView> {
  const group = await groups.find(tx, groupId);
  if (!group) throw unprocessable(field, `Group ${groupId} does not exist.`);
  if (group.deletedAt) throw unprocessable(field, `Group "${group.name}" was deleted; choose another group.`);
  return group;
}

/**
 * A ticket in a group is worked by that group's members (as in Zendesk): an assignee outside the
 * group is refused, naming both, so the agent either changes the group or picks a member.
 */
export async function assertAssigneeInGroup(tx: TenantTx, groups: GroupsRepository, group: GroupView, assigneeId: string): Promise<void> {
  if (await groups.isMember(tx, group.id, assigneeId)) return;
  throw new ProblemException({
    status: 422,
    type: 'assignee-not-in-group',
    title: 'Unprocessable Content',
    detail: `User ${assigneeId} is not a member of group "${group.name}"; add them to the group or choose one of its members.`,
    errors: [{ field: 'assigneeId', message: `is not a member of group ${group.id}` }],
    extensions: { groupId: group.id },
  });
}

/** The group's AI posture: an assist it switched off is refused for its tickets (a ticket with no group may use every assist). */
export function assertAssistAllowed(group: GroupView | undefined, assist: AiAssist): void {
  if (!group || group.aiAssists[assist]) return;
  throw new ProblemException({
    status: 403,
    type: 'ai-assist-disabled',
    title: 'Forbidden',
    detail: `The ${assist} assist is switched off for the tickets of group "${group.name}"; an owner or admin can allow it in the group's AI settings.`,
    extensions: { groupId: group.id, assist },
  });
}

export const groupNameTaken = (name: string) =>
  new ProblemException({
    status: 409,
    type: 'conflict',
    title: 'Conflict',
    detail: `A group named "${name}" already exists; group names are unique (ignoring case).`,
    errors: [{ field: 'name', message: 'must be unique' }],
  });

/** The posture after a change: each assist the change names (a boolean) replaces the current one; the rest stay. */
export function nextAiAssists(current: Record<AiAssist, boolean>, change: Partial<Record<AiAssist, boolean>> | undefined): Record<AiAssist, boolean> {
  return Object.fromEntries(AI_ASSISTS.map((a) => [a, typeof change?.[a] === 'boolean' ? change[a] : current[a]])) as Record<AiAssist, boolean>;
}
