import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ArticlesRepository } from '../../repositories/articles.repository';
import type { ArticleContentRow } from '../../repositories/articles.sql';
import type { ArticleView, RevisionContent } from '../../repositories/kb.sql';
import type { RevisionsRepository } from '../../repositories/revisions.repository';
import type { SectionsRepository } from '../../repositories/sections.repository';
import { anArticle, aSection } from '../../testing/kb-views';
import { ArticleContentChanges } from '../update-article/apply-article-content';
import { RestoreRevisionCommand } from './restore-revision.command';
import { RestoreRevisionHandler } from './restore-revision.handler';

const oldContent: RevisionContent = { title: 'Reset a password', slug: 'reset-a-password', body: 'Old text.', visibility: 'internal', tags: ['old'], sectionId: 'sec-1' };

function setup(options: { article?: ArticleView; revision?: RevisionContent }) {
  const tx = new FakeTenantTransaction();
  let after: ArticleView | undefined;
  const articles = {
    exists: jest.fn(async () => options.article !== undefined),
    findForUpdate: jest.fn(async () => options.article),
    find: jest.fn(async () => after),
    everPublished: jest.fn(async () => true),
    slugFree: jest.fn(async () => true),
    deleteRedirect: jest.fn(async () => undefined),
    addRedirect: jest.fn(async () => undefined),
    updateContent: jest.fn(async (_tx: TenantTx, _id: string, row: ArticleContentRow) => {
      after = { ...options.article!, ...row, version: options.article!.version + 1 };
    }),
  };
  const revisions = { findContent: jest.fn(async () => options.revision), append: jest.fn(async () => ({ id: 'rev-3', number: 3 })) };
  const sections = { find: jest.fn(async () => aSection()) };
  const content = new ArticleContentChanges(articles as unknown as ArticlesRepository, sections as unknown as SectionsRepository, revisions as unknown as RevisionsRepository);
  const handler = new RestoreRevisionHandler(tx.asTenantTransaction(), articles as unknown as ArticlesRepository, revisions as unknown as RevisionsRepository, content);
  const restore = () => handler.execute(new RestoreRevisionCommand(testContext(), 'art-1', 'rev-1'));
  return { tx, articles, revisions, restore };
}

describe('RestoreRevisionHandler', () => {
  it('brings the revision’s content back as a new revision, keeping the current slug', async () => {
    const { tx, articles, revisions, restore } = setup({ article: anArticle({ status: 'published', version: 7 }), revision: oldContent });
    await restore();
    expect(revisions.findContent).toHaveBeenCalledWith(expect.anything(), 'art-1', 'rev-1');
    expect(articles.updateContent).toHaveBeenCalledWith(expect.anything(), 'art-1', expect.objectContaining({ title: 'Reset a password', slug: 'reset-your-password', body: 'Old text.', visibility: 'internal', tags: ['old'] }));
    expect(articles.addRedirect).not.toHaveBeenCalled();
    expect(revisions.append).toHaveBeenCalledWith(expect.anything(), 'art-1', expect.objectContaining({ slug: 'reset-your-password' }), expect.objectContaining({ fields: ['title', 'body', 'visibility', 'tags'] }), 'rev-1');
    expect(tx.audits.map((a) => a.action)).toEqual(['kb.article_restored']);
    expect(tx.emitted).toEqual([
      { type: 'kb.article_updated', aggregateId: 'art-1', payload: { changed: ['title', 'body', 'visibility', 'tags'], version: 8, status: 'published', restoredFrom: 'rev-1', slugRedirectedFrom: null } },
    ]);
  });

  it('answers 404 naming the revision when the article exists but has no such revision', async () => {
    const { tx, articles, restore } = setup({ article: anArticle() });
    await expect(restore()).rejects.toMatchObject({ problem: { status: 404, detail: 'Revision rev-1 does not exist.' } });
    expect(articles.updateContent).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 naming the article when the article does not exist', async () => {
    const { tx, restore } = setup({});
    await expect(restore()).rejects.toMatchObject({ problem: { status: 404, detail: 'Article art-1 does not exist.' } });
    expect(tx.events).toEqual([]);
  });
});
