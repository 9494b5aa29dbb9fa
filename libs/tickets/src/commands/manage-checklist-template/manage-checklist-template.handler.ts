import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, staleVersion, TenantTransaction } from '@switchboard/platform';
import { ChecklistsRepository } from '../../repositories/checklists.repository';
import type { ChecklistTemplateView } from '../../repositories/checklists.sql';
import { ManageChecklistTemplateCommand } from './manage-checklist-template.command';

/** Checklist templates: ticket checklists copy their items, so changing a template changes no existing checklist. */
@CommandHandler(ManageChecklistTemplateCommand)
export class ManageChecklistTemplateHandler implements ICommandHandler<ManageChecklistTemplateCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly checklists: ChecklistsRepository,
  ) {}

  execute({ context, change }: ManageChecklistTemplateCommand): Promise<ChecklistTemplateView | null> {
    return this.tx.run(context, async (tx) => {
      if (change.op === 'create') {
        const created = await this.checklists.insertTemplate(tx, change.name, change.items);
        await tx.audit({ action: 'checklist_template.created', entityType: 'checklist_template', entityId: created.id, after: { name: created.name, items: created.items } });
        return created;
      }
      const before = await this.checklists.findTemplate(tx, change.id, true);
      if (!before) throw notFound('Checklist template', change.id);
      if (change.op === 'delete') {
        await this.checklists.deleteTemplate(tx, change.id);
        await tx.audit({ action: 'checklist_template.deleted', entityType: 'checklist_template', entityId: change.id, before: { name: before.name } });
        return null;
      }
      if (change.expectedVersion !== null && change.expectedVersion !== before.version) throw staleVersion('checklist template', change.expectedVersion, before.version);
      const name = change.name ?? before.name;
      const items = change.items ?? before.items;
      if (name === before.name && JSON.stringify(items) === JSON.stringify(before.items)) return before;
      const after = await this.checklists.updateTemplate(tx, change.id, name, items);
      await tx.audit({ action: 'checklist_template.updated', entityType: 'checklist_template', entityId: change.id, before: { name: before.name, items: before.items }, after: { name, items } });
      return after;
    });
  }
}
