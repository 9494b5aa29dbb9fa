import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { invalidReference, stale } from '../../domain/problems';
import { ArticlesRepository } from '../../repositories/articles.repository';
import { CategoriesRepository } from '../../repositories/categories.repository';
import type { SectionView } from '../../repositories/kb.sql';
import { SectionsRepository } from '../../repositories/sections.repository';
import { SaveSectionCommand } from './save-section.command';
import { ArticleUpdated, SectionCreated, SectionUpdated } from '../../knowledge-base.context';

@CommandHandler(SaveSectionCommand)
export class SaveSectionHandler implements ICommandHandler<SaveSectionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly categories: CategoriesRepository,
    private readonly sections: SectionsRepository,
    private readonly articles: ArticlesRepository,
  ) {}

  execute({ context, sectionId, input, expectedVersion }: SaveSectionCommand): Promise<SectionView> {
    return this.tx.run(context, async (tx) => {
      const category = input.categoryId ? await this.categories.find(tx, input.categoryId) : undefined;
      if (input.categoryId && !category) throw invalidReference('categoryId', `Category ${input.categoryId} does not exist.`);
      if (sectionId === null) {
        const id = await this.sections.insert(tx, category!.locale, { categoryId: category!.id, name: input.name, description: input.description ?? null, position: input.position ?? 0 });
        const created = (await this.sections.find(tx, id))!;
        await tx.audit({ action: 'kb.section_created', entityType: 'kb_section', entityId: id, after: { categoryId: created.categoryId, name: created.name, description: created.description, position: created.position } });
        await tx.emit(SectionCreated.of(id, { section: created }));
        return created;
      }
      const before = await this.sections.findForUpdate(tx, sectionId);
      if (!before) throw notFound('Section', sectionId);
      if (expectedVersion !== null && before.version !== expectedVersion) throw stale('section', expectedVersion, before.version);
      if (category && category.locale !== before.locale) {
        throw invalidReference('categoryId', `A section in ${before.locale} cannot move to a category in ${category.locale}.`);
      }
      const next = {
        categoryId: category?.id ?? before.categoryId,
        name: input.name ?? before.name,
        description: input.description === undefined ? before.description : input.description,
        position: input.position ?? before.position,
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== before[k]);
      if (changed.length === 0) return before;
      await this.sections.update(tx, sectionId, next);
      if (next.categoryId !== before.categoryId) {
        // Articles follow their section; their search chunks follow on the next index run.
        for (const id of await this.articles.followSection(tx, sectionId, next.categoryId)) {
          await tx.emit(ArticleUpdated.of(id, { changed: ['categoryId'] }));
        }
      }
      const after = (await this.sections.find(tx, sectionId))!;
      const pick = (c: SectionView) => Object.fromEntries(changed.map((k) => [k, c[k]]));
      await tx.audit({ action: 'kb.section_updated', entityType: 'kb_section', entityId: sectionId, before: pick(before), after: pick(after) });
      await tx.emit(SectionUpdated.of(sectionId, { section: after }));
      return after;
    });
  }
}
