import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ChecklistView } from '../../repositories/checklists.sql';

export type ChecklistChange =
  | { op: 'check'; itemId: string; done: boolean }
  | { op: 'rename'; itemId: string; text: string }
  | { op: 'add'; text: string }
  | { op: 'remove'; itemId: string }
  | { op: 'delete' };

/** One change to a ticket's checklist; answers the checklist after it (null once deleted). */
export class ChangeChecklistCommand extends Command<ChecklistView | null> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly checklistId: string,
    readonly change: ChecklistChange,
  ) {
    super();
  }
}
