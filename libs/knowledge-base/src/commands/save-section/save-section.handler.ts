import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { invalidReference, stale } from '../../domain/problems';
import { loadCategory, loadSection, type SectionView } from '../../repositories/kb.sql';
import { SaveSectionCommand } from './save-section.command';
import { ArticleUpdated, SectionCreated, SectionUpdated } from '../../knowledge-base.context';

@CommandHandler(SaveSectionCommand)
export class SaveSectionHandler implements ICommandHandler<SaveSectionCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, sectionId, input, expectedVersion }: SaveSectionCommand): Promise<SectionView> {
    return this.tx.run(context, async (tx) => {
      const m = tx.manager;
      const category = input.categoryId ? await loadCategory(m, context.tenantId, input.categoryId) : undefined;
      if (input.categoryId && !category) throw invalidReference('categoryId', `Category ${input.categoryId} does not exist.`);
      if (sectionId === null) {
        const [{ id }]: { id: string }[] = await m.query(
          `INSERT INTO kb_sections (tenant_id, category_id, locale, name, description, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [context.tenantId, category!.id, category!.locale, input.name, input.description ?? null, input.position ?? 0],
        );
        const created = (await loadSection(m, context.tenantId, id))!;
        await tx.audit({ action: 'kb.section_created', entityType: 'kb_section', entityId: id, after: { categoryId: created.categoryId, name: created.name, description: created.description, position: created.position } });
        await tx.emit(SectionCreated.of(id, { section: created }));
        return created;
      }
      const before = await loadSection(m, context.tenantId, sectionId, true);
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
      await m.query(
        `UPDATE kb_sections SET category_id = $3, name = $4, description = $5, position = $6, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
        [context.tenantId, sectionId, next.categoryId, next.name, next.description, next.position],
      );
      if (next.categoryId !== before.categoryId) {
        // Articles follow their section; their search chunks follow on the next index run.
        const moved: { id: string }[] = await m.query(
          `WITH u AS (UPDATE kb_articles SET category_id = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND section_id = $2 RETURNING id) SELECT id FROM u`,
          [context.tenantId, sectionId, next.categoryId],
        );
        for (const { id } of moved) {
          await tx.emit(ArticleUpdated.of(id, { changed: ['categoryId'] }));
        }
      }
      const after = (await loadSection(m, context.tenantId, sectionId))!;
      const pick = (c: SectionView) => Object.fromEntries(changed.map((k) => [k, c[k]]));
      await tx.audit({ action: 'kb.section_updated', entityType: 'kb_section', entityId: sectionId, before: pick(before), after: pick(after) });
      await tx.emit(SectionUpdated.of(sectionId, { section: after }));
      return after;
    });
  }
}
