import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { requireLocale } from '../../domain/locale';
import { stale } from '../../domain/problems';
import { CategoriesRepository } from '../../repositories/categories.repository';
import type { CategoryView } from '../../repositories/kb.sql';
import { SaveCategoryCommand } from './save-category.command';
import { CategoryCreated, CategoryUpdated } from '../../knowledge-base.context';

@CommandHandler(SaveCategoryCommand)
export class SaveCategoryHandler implements ICommandHandler<SaveCategoryCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly categories: CategoriesRepository,
  ) {}

  execute({ context, categoryId, input, expectedVersion }: SaveCategoryCommand): Promise<CategoryView> {
    return this.tx.run(context, async (tx) => {
      if (categoryId === null) {
        const locale = requireLocale(input.locale ?? '');
        const id = await this.categories.insert(tx, locale, { name: input.name, description: input.description ?? null, position: input.position ?? 0 });
        const created = (await this.categories.find(tx, id))!;
        await tx.audit({ action: 'kb.category_created', entityType: 'kb_category', entityId: id, after: { locale, name: created.name, description: created.description, position: created.position } });
        await tx.emit(CategoryCreated.of(id, { category: created }));
        return created;
      }
      const before = await this.categories.findForUpdate(tx, categoryId);
      if (!before) throw notFound('Category', categoryId);
      if (expectedVersion !== null && before.version !== expectedVersion) throw stale('category', expectedVersion, before.version);
      if (input.locale !== undefined && requireLocale(input.locale) !== before.locale) {
        throw new ProblemException({
          status: 422,
          type: 'locale-immutable',
          title: 'Unprocessable Content',
          detail: 'A category keeps its locale; create a category in the other locale instead.',
          errors: [{ field: 'locale', message: 'cannot change' }],
        });
      }
      const next = { name: input.name ?? before.name, description: input.description === undefined ? before.description : input.description, position: input.position ?? before.position };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== before[k]);
      if (changed.length === 0) return before;
      await this.categories.update(tx, categoryId, next);
      const after = (await this.categories.find(tx, categoryId))!;
      const pick = (c: CategoryView) => Object.fromEntries(changed.map((k) => [k, c[k]]));
      await tx.audit({ action: 'kb.category_updated', entityType: 'kb_category', entityId: categoryId, before: pick(before), after: pick(after) });
      await tx.emit(CategoryUpdated.of(categoryId, { category: after }));
      return after;
    });
  }
}
