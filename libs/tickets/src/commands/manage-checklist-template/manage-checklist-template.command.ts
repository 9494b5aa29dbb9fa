import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ChecklistTemplateView } from '../../repositories/checklists.sql';

export type TemplateChange = { op: 'create'; name: string; items: string[] } | { op: 'update'; id: string; name?: string; items?: string[]; expectedVersion: number | null } | { op: 'delete'; id: string };

/** Creates, changes or deletes a checklist template (owners and admins). */
export class ManageChecklistTemplateCommand extends Command<ChecklistTemplateView | null> {
  constructor(
    readonly context: CommandContext,
    readonly change: TemplateChange,
  ) {
    super();
  }
}
