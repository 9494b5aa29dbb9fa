import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ChecklistView } from '../../repositories/checklists.sql';

/** From a template (its name and items, unless given), or written on the spot. */
export interface NewChecklist {
  templateId?: string;
  title?: string;
  items?: string[];
}

export class AddChecklistCommand extends Command<ChecklistView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly input: NewChecklist,
  ) {
    super();
  }
}
