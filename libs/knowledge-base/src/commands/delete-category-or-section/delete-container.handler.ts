import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { conflict } from '../../domain/problems';
import { ArticlesRepository } from '../../repositories/articles.repository';
import { CategoriesRepository } from '../../repositories/categories.repository';
import { SectionsRepository } from '../../repositories/sections.repository';
import { DeleteContainerCommand } from './delete-container.command';
import { CategoryDeleted, SectionDeleted } from '../../knowledge-base.context';

@CommandHandler(DeleteContainerCommand)
export class DeleteContainerHandler implements ICommandHandler<DeleteContainerCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly categories: CategoriesRepository,
    private readonly sections: SectionsRepository,
    private readonly articles: ArticlesRepository,
  ) {}

  execute({ context, kind, id }: DeleteContainerCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const before = kind === 'category' ? await this.categories.findForUpdate(tx, id) : await this.sections.findForUpdate(tx, id);
      if (!before) throw notFound(kind === 'category' ? 'Category' : 'Section', id);
      const hasChildren = kind === 'category' ? await this.sections.anyInCategory(tx, id) : await this.articles.anyInSection(tx, id);
      if (hasChildren) {
        throw conflict('not-empty', kind === 'category' ? 'The category still has sections; move or delete them first.' : 'The section still has articles (archived ones too); move them to another section first.');
      }
      await (kind === 'category' ? this.categories.delete(tx, id) : this.sections.delete(tx, id));
      await tx.audit({ action: `kb.${kind}_deleted`, entityType: `kb_${kind}`, entityId: id, before: { name: before.name, locale: before.locale } });
      await tx.emit((kind === 'category' ? CategoryDeleted : SectionDeleted).of(id, {}));
    });
  }
}
