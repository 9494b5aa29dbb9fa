import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { KbConfig } from '../../knowledge-base.context';
import type { ArticlesRepository } from '../../repositories/articles.repository';
import type { ArticleContentRow } from '../../repositories/articles.sql';
import type { ArticleView, SectionView } from '../../repositories/kb.sql';
import type { RevisionsRepository } from '../../repositories/revisions.repository';
import type { SectionsRepository } from '../../repositories/sections.repository';
import { anArticle, aSection } from '../../testing/kb-views';
import { ArticleContentChanges } from './apply-article-content';
import { UpdateArticleCommand, type ArticleChanges } from './update-article.command';
import { UpdateArticleHandler } from './update-article.handler';

const config = { KB_ARTICLE_MAX_BYTES: 1024 } as KbConfig;
const sectionsById: Record<string, SectionView> = {
  'sec-1': aSection(),
  'sec-2': aSection({ id: 'sec-2', categoryId: 'cat-2' }),
  'sec-fr': aSection({ id: 'sec-fr', locale: 'fr', categoryId: 'cat-fr' }),
};

function setup(before: ArticleView | undefined, options: { everPublished?: boolean; takenSlugs?: string[] } = {}) {
  const tx = new FakeTenantTransaction();
  let after: ArticleView | undefined;
  const articles = {
    findForUpdate: jest.fn(async () => before),
    find: jest.fn(async () => after),
    everPublished: jest.fn(async () => options.everPublished ?? false),
    slugFree: jest.fn(async (_tx: TenantTx, _locale: string, slug: string) => !(options.takenSlugs ?? []).includes(slug)),
    deleteRedirect: jest.fn(async () => undefined),
    addRedirect: jest.fn(async () => undefined),
    updateContent: jest.fn(async (_tx: TenantTx, _id: string, row: ArticleContentRow) => {
      after = { ...before!, ...row, version: before!.version + 1 };
    }),
  };
  const sections = { find: jest.fn(async (_tx: TenantTx, id: string) => sectionsById[id]) };
  const revisions = { append: jest.fn(async () => ({ id: 'rev-2', number: 2 })) };
  const content = new ArticleContentChanges(articles as unknown as ArticlesRepository, sections as unknown as SectionsRepository, revisions as unknown as RevisionsRepository);
  const handler = new UpdateArticleHandler(tx.asTenantTransaction(), content, config);
  const update = async (changes: ArticleChanges, expectedVersion = before?.version ?? 1) => handler.execute(new UpdateArticleCommand(testContext(), 'art-1', changes, expectedVersion));
  const nothingWritten = () => {
    expect(articles.updateContent).not.toHaveBeenCalled();
    expect(articles.deleteRedirect).not.toHaveBeenCalled();
    expect(articles.addRedirect).not.toHaveBeenCalled();
    expect(revisions.append).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  };
  return { tx, articles, revisions, update, nothingWritten };
}

describe('UpdateArticleHandler (with the article content rules)', () => {
  it('writes new content with a revision, audits the body by size and emits kb.article_updated', async () => {
    const { tx, articles, revisions, update } = setup(anArticle({ version: 3, status: 'published' }));
    const after = await update({ body: 'Open **Settings**.', tags: ['Account'] });
    expect(articles.updateContent).toHaveBeenCalledWith(expect.anything(), 'art-1', expect.objectContaining({ body: 'Open **Settings**.', html: expect.stringContaining('<strong>Settings</strong>'), tags: ['account'], categoryId: 'cat-1', position: 0 }));
    expect(revisions.append).toHaveBeenCalledWith(expect.anything(), 'art-1', expect.objectContaining({ body: 'Open **Settings**.' }), expect.objectContaining({ fields: ['body', 'tags'] }), null);
    expect(tx.audits).toEqual([
      {
        action: 'kb.article_updated',
        entityType: 'kb_article',
        entityId: 'art-1',
        before: { body: { bytes: Buffer.byteLength(anArticle().body) }, tags: [] },
        after: { body: { bytes: 18 }, tags: ['account'] },
      },
    ]);
    expect(tx.emitted).toEqual([
      { type: 'kb.article_updated', aggregateId: 'art-1', payload: { changed: ['body', 'tags'], version: 4, status: 'published', restoredFrom: null, slugRedirectedFrom: null } },
    ]);
    expect(after.version).toBe(4);
  });

  it('refuses a version mismatch with 412 and writes nothing', async () => {
    const { update, nothingWritten } = setup(anArticle({ version: 3 }));
    await expect(update({ title: 'New' }, 2)).rejects.toMatchObject({ problem: { status: 412, type: 'precondition-failed' } });
    nothingWritten();
  });

  it('refuses a body over the limit with 413 before reading the article', async () => {
    const { articles, update, nothingWritten } = setup(anArticle());
    await expect(update({ body: 'x'.repeat(1025) })).rejects.toMatchObject({ problem: { status: 413, type: 'article-too-large' } });
    expect(articles.findForUpdate).not.toHaveBeenCalled();
    nothingWritten();
  });

  it('changes nothing when the changes repeat the article', async () => {
    const { update, nothingWritten } = setup(anArticle());
    await expect(update({ title: 'Reset your password', tags: [] })).resolves.toMatchObject({ version: 1 });
    nothingWritten();
  });

  it('moves position without a revision: the event names position only', async () => {
    const { tx, revisions, update } = setup(anArticle());
    await update({ position: 5 });
    expect(revisions.append).not.toHaveBeenCalled();
    expect(tx.emitted).toEqual([{ type: 'kb.article_updated', aggregateId: 'art-1', payload: expect.objectContaining({ changed: ['position'] }) }]);
  });

  it('moves to another section of the same locale, taking its category', async () => {
    const { articles, update } = setup(anArticle());
    await update({ sectionId: 'sec-2' });
    expect(articles.updateContent).toHaveBeenCalledWith(expect.anything(), 'art-1', expect.objectContaining({ sectionId: 'sec-2', categoryId: 'cat-2' }));
  });

  it('refuses a move to a section in another locale, or to none (422)', async () => {
    const { update, nothingWritten } = setup(anArticle());
    await expect(update({ sectionId: 'sec-fr' })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
    await expect(update({ sectionId: 'sec-9' })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
    nothingWritten();
  });

  it('renames a never-published article’s slug without keeping a redirect', async () => {
    const { tx, articles, update } = setup(anArticle(), { everPublished: false });
    await update({ slug: 'New Slug' });
    expect(articles.slugFree).toHaveBeenCalledWith(expect.anything(), 'en', 'new-slug', 'art-1');
    expect(articles.deleteRedirect).toHaveBeenCalledWith(expect.anything(), 'en', 'new-slug');
    expect(articles.addRedirect).not.toHaveBeenCalled();
    expect(tx.emitted[0]!.payload).toMatchObject({ changed: ['slug'], slugRedirectedFrom: null });
  });

  it('refuses to change a published slug without keepRedirect (409 slug-immutable)', async () => {
    const { update, nothingWritten } = setup(anArticle({ status: 'published' }), { everPublished: true });
    await expect(update({ slug: 'new-slug' })).rejects.toMatchObject({ problem: { status: 409, type: 'slug-immutable' } });
    nothingWritten();
  });

  it('keeps the old slug as a redirect when a published slug changes with keepRedirect', async () => {
    const { tx, articles, update } = setup(anArticle({ status: 'published' }), { everPublished: true });
    await update({ slug: 'new-slug', keepRedirect: true });
    expect(articles.addRedirect).toHaveBeenCalledWith(expect.anything(), 'en', 'reset-your-password', 'art-1');
    expect(tx.emitted[0]!.payload).toMatchObject({ slugRedirectedFrom: 'reset-your-password' });
  });

  it('refuses a slug taken in the locale (409 slug-taken)', async () => {
    const { update, nothingWritten } = setup(anArticle(), { takenSlugs: ['billing'] });
    await expect(update({ slug: 'billing' })).rejects.toMatchObject({ problem: { status: 409, type: 'slug-taken' } });
    nothingWritten();
  });

  it('answers 404 for a missing article', async () => {
    const { update, nothingWritten } = setup(undefined);
    await expect(update({ title: 'x' }, 1)).rejects.toMatchObject({ problem: { status: 404 } });
    nothingWritten();
  });
});
