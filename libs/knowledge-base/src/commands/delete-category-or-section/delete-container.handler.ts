import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { conflict } from '../../domain/problems';
import { loadCategory, loadSection } from '../../repositories/kb.sql';
import { DeleteContainerCommand } from './delete-container.command';
import { CategoryDeleted, SectionDeleted } from '../../knowledge-base.context';

@CommandHandler(DeleteContainerCommand)
export class DeleteContainerHandler implements ICommandHandler<DeleteContainerCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, kind, id }: DeleteContainerCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const m = tx.manager;
      const before = kind === 'category' ? await loadCategory(m, context.tenantId, id, true) : await loadSection(m, context.tenantId, id, true);
      if (!before) throw notFound(kind === 'category' ? 'Category' : 'Section', id);
      const children: unknown[] =
        kind === 'category'
          ? await m.query(`SELECT 1 FROM kb_sections WHERE tenant_id = $1 AND category_id = $2 LIMIT 1`, [context.tenantId, id])
          : await m.query(`SELECT 1 FROM kb_articles WHERE tenant_id = $1 AND section_id = $2 LIMIT 1`, [context.tenantId, id]);
      if (children.length > 0) {
        throw conflict('not-empty', kind === 'category' ? 'The category still has sections; move or delete them first.' : 'The section still has articles (archived ones too); move them to another section first.');
      }
      await m.query(`DELETE FROM ${kind === 'category' ? 'kb_categories' : 'kb_sections'} WHERE tenant_id = $1 AND id = $2`, [context.tenantId, id]);
      await tx.audit({ action: `kb.${kind}_deleted`, entityType: `kb_${kind}`, entityId: id, before: { name: before.name, locale: before.locale } });
      await tx.emit((kind === 'category' ? CategoryDeleted : SectionDeleted).of(id, {}));
    });
  }
}
