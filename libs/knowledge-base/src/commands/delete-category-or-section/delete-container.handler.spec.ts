import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ArticlesRepository } from '../../repositories/articles.repository';
import type { CategoriesRepository } from '../../repositories/categories.repository';
import type { CategoryView, SectionView } from '../../repositories/kb.sql';
import type { SectionsRepository } from '../../repositories/sections.repository';
import { aCategory, aSection } from '../../testing/kb-views';
import { DeleteContainerCommand } from './delete-container.command';
import { DeleteContainerHandler } from './delete-container.handler';

function setup(found: { category?: CategoryView; section?: SectionView }, children: { sections?: boolean; articles?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const categories = { findForUpdate: jest.fn(async () => found.category), delete: jest.fn(async () => undefined) };
  const sections = { findForUpdate: jest.fn(async () => found.section), anyInCategory: jest.fn(async () => children.sections ?? false), delete: jest.fn(async () => undefined) };
  const articles = { anyInSection: jest.fn(async () => children.articles ?? false) };
  const handler = new DeleteContainerHandler(
    tx.asTenantTransaction(),
    categories as unknown as CategoriesRepository,
    sections as unknown as SectionsRepository,
    articles as unknown as ArticlesRepository,
  );
  const remove = (kind: 'category' | 'section', id: string) => handler.execute(new DeleteContainerCommand(testContext(), kind, id));
  return { tx, categories, sections, articles, remove };
}

describe('DeleteContainerHandler', () => {
  it('deletes an empty category, audits it and emits kb.category_deleted', async () => {
    const { tx, categories, sections, remove } = setup({ category: aCategory() });
    await remove('category', 'cat-1');
    expect(sections.anyInCategory).toHaveBeenCalledWith(expect.anything(), 'cat-1');
    expect(categories.delete).toHaveBeenCalledWith(expect.anything(), 'cat-1');
    expect(sections.delete).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([{ action: 'kb.category_deleted', entityType: 'kb_category', entityId: 'cat-1', before: { name: 'Billing', locale: 'en' } }]);
    expect(tx.emitted).toEqual([{ type: 'kb.category_deleted', aggregateId: 'cat-1', payload: {} }]);
  });

  it('refuses to delete a category that still has sections (409 not-empty)', async () => {
    const { tx, categories, remove } = setup({ category: aCategory() }, { sections: true });
    await expect(remove('category', 'cat-1')).rejects.toMatchObject({ problem: { status: 409, type: 'not-empty' } });
    expect(categories.delete).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('refuses to delete a section that still has articles, archived ones included', async () => {
    const { tx, sections, articles, remove } = setup({ section: aSection() }, { articles: true });
    await expect(remove('section', 'sec-1')).rejects.toMatchObject({ problem: { status: 409, type: 'not-empty' } });
    expect(articles.anyInSection).toHaveBeenCalledWith(expect.anything(), 'sec-1');
    expect(sections.delete).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('deletes an empty section and emits kb.section_deleted', async () => {
    const { tx, sections, categories, remove } = setup({ section: aSection() });
    await remove('section', 'sec-1');
    expect(sections.delete).toHaveBeenCalledWith(expect.anything(), 'sec-1');
    expect(categories.delete).not.toHaveBeenCalled();
    expect(tx.emitted).toEqual([{ type: 'kb.section_deleted', aggregateId: 'sec-1', payload: {} }]);
  });

  it('answers 404 for a missing category or section', async () => {
    const { tx, remove } = setup({});
    await expect(remove('category', 'cat-9')).rejects.toMatchObject({ problem: { status: 404, detail: 'Category cat-9 does not exist.' } });
    await expect(remove('section', 'sec-9')).rejects.toMatchObject({ problem: { status: 404, detail: 'Section sec-9 does not exist.' } });
    expect(tx.events).toEqual([]);
  });
});
