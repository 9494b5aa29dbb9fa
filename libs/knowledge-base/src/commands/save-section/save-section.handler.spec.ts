import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ArticlesRepository } from '../../repositories/articles.repository';
import type { CategoriesRepository } from '../../repositories/categories.repository';
import type { CategoryView, SectionView } from '../../repositories/kb.sql';
import type { SectionsRepository } from '../../repositories/sections.repository';
import { aCategory, aSection } from '../../testing/kb-views';
import { SaveSectionCommand, type SectionInput } from './save-section.command';
import { SaveSectionHandler } from './save-section.handler';

const categoriesById: Record<string, CategoryView> = {
  'cat-1': aCategory(),
  'cat-2': aCategory({ id: 'cat-2', name: 'Accounts' }),
  'cat-de': aCategory({ id: 'cat-de', locale: 'de', name: 'Rechnungen' }),
};

function setup(stored: SectionView | undefined, movedArticles: string[] = []) {
  const tx = new FakeTenantTransaction();
  let written: SectionView | undefined;
  const categories = { find: jest.fn(async (_tx: TenantTx, id: string) => categoriesById[id]) };
  const sections = {
    find: jest.fn(async (_tx: TenantTx, id: string) => written ?? (stored && { ...stored, id })),
    findForUpdate: jest.fn(async () => stored),
    insert: jest.fn(async (_tx: TenantTx, locale: string, f: { categoryId: string; name: string | undefined; description: string | null; position: number }) => {
      written = aSection({ id: 'sec-new', locale, categoryId: f.categoryId, name: f.name!, description: f.description, position: f.position });
      return 'sec-new';
    }),
    update: jest.fn(async (_tx: TenantTx, _id: string, f: Pick<SectionView, 'categoryId' | 'name' | 'description' | 'position'>) => {
      written = { ...stored!, ...f, version: stored!.version + 1 };
    }),
  };
  const articles = { followSection: jest.fn(async () => movedArticles) };
  const handler = new SaveSectionHandler(
    tx.asTenantTransaction(),
    categories as unknown as CategoriesRepository,
    sections as unknown as SectionsRepository,
    articles as unknown as ArticlesRepository,
  );
  const save = (id: string | null, input: SectionInput, expectedVersion: number | null = null) => handler.execute(new SaveSectionCommand(testContext(), id, input, expectedVersion));
  return { tx, sections, articles, save };
}

describe('SaveSectionHandler', () => {
  it('creates a section in its category’s locale and emits kb.section_created', async () => {
    const { tx, sections, save } = setup(undefined);
    const created = await save(null, { categoryId: 'cat-de', name: 'Zahlungen' });
    expect(sections.insert).toHaveBeenCalledWith(expect.anything(), 'de', { categoryId: 'cat-de', name: 'Zahlungen', description: null, position: 0 });
    expect(tx.audits).toEqual([{ action: 'kb.section_created', entityType: 'kb_section', entityId: 'sec-new', after: { categoryId: 'cat-de', name: 'Zahlungen', description: null, position: 0 } }]);
    expect(tx.emitted).toEqual([{ type: 'kb.section_created', aggregateId: 'sec-new', payload: { section: created } }]);
  });

  it('refuses a category that does not exist (422 invalid-reference) and writes nothing', async () => {
    const { tx, sections, save } = setup(undefined);
    await expect(save(null, { categoryId: 'cat-9', name: 'x' })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
    expect(sections.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('moves a section with its articles: each moved article gets kb.article_updated naming categoryId', async () => {
    const { tx, sections, articles, save } = setup(aSection({ version: 2 }), ['art-1', 'art-2']);
    const after = await save('sec-1', { categoryId: 'cat-2' }, 2);
    expect(sections.update).toHaveBeenCalledWith(expect.anything(), 'sec-1', { categoryId: 'cat-2', name: 'Invoices', description: null, position: 0 });
    expect(articles.followSection).toHaveBeenCalledWith(expect.anything(), 'sec-1', 'cat-2');
    expect(tx.emitted).toEqual([
      { type: 'kb.article_updated', aggregateId: 'art-1', payload: { changed: ['categoryId'] } },
      { type: 'kb.article_updated', aggregateId: 'art-2', payload: { changed: ['categoryId'] } },
      { type: 'kb.section_updated', aggregateId: 'sec-1', payload: { section: after } },
    ]);
    expect(tx.audits).toEqual([{ action: 'kb.section_updated', entityType: 'kb_section', entityId: 'sec-1', before: { categoryId: 'cat-1' }, after: { categoryId: 'cat-2' } }]);
  });

  it('renames without touching the articles', async () => {
    const { tx, articles, save } = setup(aSection());
    await save('sec-1', { name: 'Receipts' });
    expect(articles.followSection).not.toHaveBeenCalled();
    expect(tx.emitted.map((e) => e.type)).toEqual(['kb.section_updated']);
  });

  it('refuses a move to a category in another locale', async () => {
    const { tx, sections, articles, save } = setup(aSection());
    await expect(save('sec-1', { categoryId: 'cat-de' })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
    expect(sections.update).not.toHaveBeenCalled();
    expect(articles.followSection).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses a stale version with 412', async () => {
    const { tx, sections, save } = setup(aSection({ version: 5 }));
    await expect(save('sec-1', { name: 'Receipts' }, 4)).rejects.toMatchObject({ problem: { status: 412 } });
    expect(sections.update).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a missing section', async () => {
    const { save } = setup(undefined);
    await expect(save('sec-9', { name: 'x' })).rejects.toMatchObject({ problem: { status: 404 } });
  });
});
