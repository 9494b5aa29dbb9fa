import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { AiAssist, GroupView } from '../../repositories/groups.sql';

export interface GroupInput {
  name: string;
  description?: string | null;
  /** References the SLA engine reads; stored as given until business calendars and SLA policies exist. */
  businessCalendarId?: string | null;
  slaPolicyId?: string | null;
  /** Which AI assists the group's tickets may use; an assist left out stays as it was (on for a new group). */
  aiAssists?: Partial<Record<AiAssist, boolean>>;
  emailSignature?: string | null;
  assignmentPolicy?: string | null;
}

export class CreateGroupCommand extends Command<GroupView> {
  constructor(
    readonly context: CommandContext,
    readonly input: GroupInput,
  ) {
    super();
  }
}
