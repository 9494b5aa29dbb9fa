import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { CategoriesRepository } from '../../repositories/categories.repository';
import type { CategoryView } from '../../repositories/kb.sql';
import { aCategory } from '../../testing/kb-views';
import { SaveCategoryCommand, type CategoryInput } from './save-category.command';
import { SaveCategoryHandler } from './save-category.handler';

function setup(stored: CategoryView | undefined) {
  const tx = new FakeTenantTransaction();
  let written: CategoryView | undefined;
  const categories = {
    // find reads what was written: the stored row, or the inserted/updated one.
    find: jest.fn(async (_tx: TenantTx, id: string): Promise<CategoryView | undefined> => written ?? (stored && { ...stored, id })),
    findForUpdate: jest.fn(async () => stored),
    insert: jest.fn(async (_tx: TenantTx, locale: string, fields: { name: string | undefined; description: string | null; position: number }) => {
      written = aCategory({ id: 'cat-new', locale, name: fields.name!, description: fields.description, position: fields.position });
      return 'cat-new';
    }),
    update: jest.fn(async (_tx: TenantTx, id: string, fields: Pick<CategoryView, 'name' | 'description' | 'position'>) => {
      written = { ...stored!, ...fields, version: stored!.version + 1 };
    }),
  };
  const handler = new SaveCategoryHandler(tx.asTenantTransaction(), categories as unknown as CategoriesRepository);
  const save = (id: string | null, input: CategoryInput, expectedVersion: number | null = null) => handler.execute(new SaveCategoryCommand(testContext(), id, input, expectedVersion));
  return { tx, categories, save };
}

describe('SaveCategoryHandler', () => {
  it('creates a category in the canonical locale, audits it and emits kb.category_created with the category', async () => {
    const { tx, categories, save } = setup(undefined);
    const created = await save(null, { locale: 'en-gb', name: 'Billing', position: 2 });
    expect(categories.insert).toHaveBeenCalledWith(expect.anything(), 'en-GB', { name: 'Billing', description: null, position: 2 });
    expect(created).toMatchObject({ id: 'cat-new', locale: 'en-GB', name: 'Billing', position: 2 });
    expect(tx.audits).toEqual([{ action: 'kb.category_created', entityType: 'kb_category', entityId: 'cat-new', after: { locale: 'en-GB', name: 'Billing', description: null, position: 2 } }]);
    expect(tx.emitted).toEqual([{ type: 'kb.category_created', aggregateId: 'cat-new', payload: { category: created } }]);
  });

  it('refuses a category without a valid locale before writing', async () => {
    const { tx, categories, save } = setup(undefined);
    await expect(save(null, { locale: 'not a locale', name: 'Billing' })).rejects.toMatchObject({ problem: { status: 400, type: 'validation-failed' } });
    expect(categories.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('updates only what changed: the audit names those fields, the event carries the category after', async () => {
    const { tx, categories, save } = setup(aCategory({ version: 4 }));
    const after = await save('cat-1', { name: 'Payments', position: 0 }, 4);
    expect(categories.update).toHaveBeenCalledWith(expect.anything(), 'cat-1', { name: 'Payments', description: null, position: 0 });
    expect(after).toMatchObject({ name: 'Payments', version: 5 });
    expect(tx.audits).toEqual([{ action: 'kb.category_updated', entityType: 'kb_category', entityId: 'cat-1', before: { name: 'Billing' }, after: { name: 'Payments' } }]);
    expect(tx.emitted).toEqual([{ type: 'kb.category_updated', aggregateId: 'cat-1', payload: { category: after } }]);
  });

  it('changes nothing (no write, no event) when the input repeats the category', async () => {
    const { tx, categories, save } = setup(aCategory());
    await expect(save('cat-1', { name: 'Billing', locale: 'en' })).resolves.toMatchObject({ version: 1 });
    expect(categories.update).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('refuses a stale version with 412', async () => {
    const { tx, categories, save } = setup(aCategory({ version: 3 }));
    await expect(save('cat-1', { name: 'Payments' }, 2)).rejects.toMatchObject({ problem: { status: 412, type: 'precondition-failed' } });
    expect(categories.update).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses to change the locale (422 locale-immutable)', async () => {
    const { tx, categories, save } = setup(aCategory({ locale: 'en' }));
    await expect(save('cat-1', { locale: 'de' })).rejects.toMatchObject({ problem: { status: 422, type: 'locale-immutable' } });
    expect(categories.update).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a missing category', async () => {
    const { tx, save } = setup(undefined);
    await expect(save('cat-9', { name: 'x' })).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tx.events).toEqual([]);
  });
});
