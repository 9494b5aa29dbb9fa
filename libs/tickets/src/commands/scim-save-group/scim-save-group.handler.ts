import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { ScimDirectoryUsersQuery, ScimError, type ScimDirectoryUser } from '@switchboard/tenancy';
import { assertAssignee } from '../../domain/references';
import { applyScimGroupPatch, parseScimGroup, toScimGroup, type ScimGroupResource } from '../../domain/scim-group';
import { GroupsRepository } from '../../repositories/groups.repository';
import type { GroupFields, GroupView } from '../../repositories/groups.sql';
import { GroupCreated, GroupDeleted, GroupMembershipChanged, GroupUpdated } from '../../tickets.context';
import { ScimSaveGroupCommand } from './scim-save-group.command';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MEMBER_PAGE = 1000;

/**
 * Ticket groups provisioned by the company's directory (SCIM Groups, RFC 7644). The directory
 * manages the members it provisioned (SCIM users); people added to a group in the app stay, since
 * the directory does not know them. Every change is one transaction, audited and announced like
 * the same change made in the app.
 */
@CommandHandler(ScimSaveGroupCommand)
export class ScimSaveGroupHandler implements ICommandHandler<ScimSaveGroupCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly groups: GroupsRepository,
  ) {}

  async execute({ context, change, baseUrl }: ScimSaveGroupCommand): Promise<ScimGroupResource | null> {
    if (change.kind !== 'create' && !UUID.test(change.id)) throw new ScimError(404, `Group ${change.id} not found.`);
    const directory = await this.queries.execute(new ScimDirectoryUsersQuery(context.tenantId));
    const byScimId = new Map(directory.map((u) => [u.scimId, u]));
    const byUserId = new Map(directory.map((u) => [u.userId, u]));
    return this.tx.run(context, async (tx) => {
      if (change.kind === 'delete') {
        await this.delete(tx, change.id);
        return null;
      }
      let group: GroupView;
      let wanted: { displayName: string; memberIds: string[] };
      let before: string[] = [];
      if (change.kind === 'create') {
        wanted = parseScimGroup(change.body);
        if (await this.groups.nameTaken(tx, wanted.displayName, null)) throw new ScimError(409, `A group named "${wanted.displayName}" already exists.`, 'uniqueness');
        group = await this.groups.insert(tx, { name: wanted.displayName, description: null, businessCalendarId: null, slaPolicyId: null, aiAssists: { summary: true, draft: true, triage: true }, emailSignature: null, assignmentPolicy: null });
        await tx.audit({ action: 'ticket_group.created', entityType: 'ticket_group', entityId: group.id, after: { name: group.name, via: 'scim' } });
        await tx.emit(GroupCreated.of(group.id, { group }));
      } else {
        const current = await this.groups.find(tx, change.id, { lock: true, live: true });
        if (!current) throw new ScimError(404, `Group ${change.id} not found.`);
        before = (await this.groups.members(tx, current.id, { limit: MEMBER_PAGE })).map((m) => m.userId).filter((id) => byUserId.has(id));
        const resource = toScimGroup(current, this.membersOf(before, byUserId), baseUrl);
        wanted = parseScimGroup(change.kind === 'replace' ? change.body : applyScimGroupPatch(resource, change.body));
        group = wanted.displayName === current.name ? current : await this.rename(tx, current, wanted.displayName);
      }
      const next = wanted.memberIds.map((scimId) => {
        const user = byScimId.get(scimId);
        if (!user) throw new ScimError(400, `Member ${scimId} is not a user provisioned through SCIM in this tenant.`, 'invalidValue');
        if (!user.active) throw new ScimError(400, `Member ${scimId} (${user.userName}) is deactivated.`, 'invalidValue');
        return user.userId;
      });
      for (const userId of next.filter((id) => !before.includes(id))) {
        try {
          await assertAssignee(this.queries, context.tenantId, userId, 'members');
        } catch (error) {
          if (error instanceof ProblemException && error.problem.status === 422) throw new ScimError(400, `${byUserId.get(userId)!.userName}: ${error.problem.detail}`, 'invalidValue');
          throw error;
        }
        if (await this.groups.addMember(tx, group.id, userId)) await this.announce(tx, group.id, userId, 'add');
      }
      for (const userId of before.filter((id) => !next.includes(id))) {
        if (await this.groups.removeMember(tx, group.id, userId)) await this.announce(tx, group.id, userId, 'remove');
      }
      const after = (await this.groups.find(tx, group.id))!;
      const members = (await this.groups.members(tx, group.id, { limit: MEMBER_PAGE })).map((m) => m.userId).filter((id) => byUserId.has(id));
      return toScimGroup(after, this.membersOf(members, byUserId), baseUrl);
    });
  }

  private membersOf(userIds: string[], byUserId: Map<string, ScimDirectoryUser>) {
    return userIds.map((id) => byUserId.get(id)!).map((u) => ({ scimId: u.scimId, display: u.displayName ?? u.userName }));
  }

  private async rename(tx: TenantTx, current: GroupView, name: string): Promise<GroupView> {
    if (await this.groups.nameTaken(tx, name, current.id)) throw new ScimError(409, `A group named "${name}" already exists.`, 'uniqueness');
    const fields: GroupFields = { name, description: current.description, businessCalendarId: current.businessCalendarId, slaPolicyId: current.slaPolicyId, aiAssists: current.aiAssists, emailSignature: current.emailSignature, assignmentPolicy: current.assignmentPolicy };
    const after = await this.groups.update(tx, current.id, fields);
    await tx.audit({ action: 'ticket_group.updated', entityType: 'ticket_group', entityId: current.id, before: { name: current.name }, after: { name, via: 'scim' } });
    await tx.emit(GroupUpdated.of(current.id, { delta: { name: { from: current.name, to: name } }, version: after.version }));
    return after;
  }

  private async announce(tx: TenantTx, groupId: string, userId: string, action: 'add' | 'remove'): Promise<void> {
    await tx.audit({ action: `ticket_group.member_${action === 'add' ? 'added' : 'removed'}`, entityType: 'ticket_group', entityId: groupId, after: { userId, via: 'scim' } });
    await tx.emit(GroupMembershipChanged.of(groupId, { userId, action }));
  }

  private async delete(tx: TenantTx, id: string): Promise<void> {
    const group = await this.groups.find(tx, id, { lock: true, live: true });
    if (!group) throw new ScimError(404, `Group ${id} not found.`);
    const unsolved = await this.groups.unsolvedTickets(tx, id);
    if (unsolved > 0) throw new ScimError(409, `Group "${group.name}" still has ${unsolved} unsolved ticket${unsolved === 1 ? '' : 's'}; move them to another group in Switchboard first.`, 'mutability');
    await this.groups.softDelete(tx, id);
    await tx.audit({ action: 'ticket_group.deleted', entityType: 'ticket_group', entityId: id, before: { name: group.name, via: 'scim' } });
    await tx.emit(GroupDeleted.of(id, { name: group.name }));
  }
}
