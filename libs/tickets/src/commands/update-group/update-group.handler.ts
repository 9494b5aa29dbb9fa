import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, staleVersion, TenantTransaction } from '@switchboard/platform';
import { groupNameTaken, nextAiAssists } from '../../domain/groups';
import { GroupsRepository } from '../../repositories/groups.repository';
import { assertLiveCalendar } from '../../sla/domain/calendar-reference';
import { CalendarsRepository } from '../../sla/repositories/calendars.repository';
import type { GroupFields, GroupView } from '../../repositories/groups.sql';
import { GroupUpdated, type FieldDelta } from '../../tickets.context';
import { UpdateGroupCommand } from './update-group.command';

/** Changes a group's profile; only what differs is written, audited and announced. */
@CommandHandler(UpdateGroupCommand)
export class UpdateGroupHandler implements ICommandHandler<UpdateGroupCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly groups: GroupsRepository,
    private readonly calendars: CalendarsRepository,
  ) {}

  execute({ context, groupId, changes, expectedVersion }: UpdateGroupCommand): Promise<GroupView> {
    return this.tx.run(context, async (tx) => {
      const before = await this.groups.find(tx, groupId, { lock: true, live: true });
      if (!before) throw notFound('Group', groupId);
      if (expectedVersion !== null && expectedVersion !== before.version) throw staleVersion('group', expectedVersion, before.version);
      const current: GroupFields = {
        name: before.name,
        description: before.description,
        businessCalendarId: before.businessCalendarId,
        slaPolicyId: before.slaPolicyId,
        aiAssists: before.aiAssists,
        emailSignature: before.emailSignature,
        assignmentPolicy: before.assignmentPolicy,
      };
      const { aiAssists, ...rest } = changes;
      const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<GroupFields>;
      const next: GroupFields = { ...current, ...defined, aiAssists: nextAiAssists(current.aiAssists, aiAssists) };
      const delta: FieldDelta = {};
      for (const key of Object.keys(next) as (keyof GroupFields)[]) {
        if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) delta[key] = { from: current[key], to: next[key] };
      }
      if (Object.keys(delta).length === 0) return before;
      if (delta.name && (await this.groups.nameTaken(tx, next.name, groupId))) throw groupNameTaken(next.name);
      if (delta.businessCalendarId && next.businessCalendarId) await assertLiveCalendar(tx, this.calendars, next.businessCalendarId!);
      const after = await this.groups.update(tx, groupId, next);
      await tx.audit({
        action: 'ticket_group.updated',
        entityType: 'ticket_group',
        entityId: groupId,
        before: Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.from])),
        after: Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.to])),
      });
      await tx.emit(GroupUpdated.of(groupId, { delta, version: after.version }));
      return after;
    });
  }
}
