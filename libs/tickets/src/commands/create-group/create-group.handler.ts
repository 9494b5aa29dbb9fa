import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { groupNameTaken, nextAiAssists } from '../../domain/groups';
import { GroupsRepository } from '../../repositories/groups.repository';
import { assertLiveCalendar } from '../../sla/domain/calendar-reference';
import { CalendarsRepository } from '../../sla/repositories/calendars.repository';
import type { GroupFields, GroupView } from '../../repositories/groups.sql';
import { GroupCreated } from '../../tickets.context';
import { CreateGroupCommand } from './create-group.command';

/** A new ticket group with its profile; every AI assist is on unless the input says otherwise. */
@CommandHandler(CreateGroupCommand)
export class CreateGroupHandler implements ICommandHandler<CreateGroupCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly groups: GroupsRepository,
    private readonly calendars: CalendarsRepository,
  ) {}

  execute({ context, input }: CreateGroupCommand): Promise<GroupView> {
    const fields: GroupFields = {
      name: input.name,
      description: input.description ?? null,
      businessCalendarId: input.businessCalendarId ?? null,
      slaPolicyId: input.slaPolicyId ?? null,
      aiAssists: nextAiAssists({ summary: true, draft: true, triage: true }, input.aiAssists),
      emailSignature: input.emailSignature ?? null,
      assignmentPolicy: input.assignmentPolicy ?? null,
    };
    return this.tx.run(context, async (tx) => {
      if (await this.groups.nameTaken(tx, fields.name, null)) throw groupNameTaken(fields.name);
      if (fields.businessCalendarId) await assertLiveCalendar(tx, this.calendars, fields.businessCalendarId!);
      const group = await this.groups.insert(tx, fields);
      await tx.audit({ action: 'ticket_group.created', entityType: 'ticket_group', entityId: group.id, after: { ...fields } });
      await tx.emit(GroupCreated.of(group.id, { group }));
      return group;
    });
  }
}
