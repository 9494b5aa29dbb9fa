import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ArticlesRepository } from '../../repositories/articles.repository';
import type { ArticleStatus, ArticleView } from '../../repositories/kb.sql';
import { anArticle } from '../../testing/kb-views';
import { ChangeArticleStatusCommand } from './change-article-status.command';
import { ChangeArticleStatusHandler } from './change-article-status.handler';

function setup(before: ArticleView | undefined) {
  const tx = new FakeTenantTransaction();
  let after: ArticleView | undefined;
  const articles = {
    findForUpdate: jest.fn(async () => before),
    find: jest.fn(async () => after),
    updateStatus: jest.fn(async (_tx: unknown, _id: string, status: ArticleStatus) => {
      after = { ...before!, status, version: before!.version + 1 };
    }),
  };
  const handler = new ChangeArticleStatusHandler(tx.asTenantTransaction(), articles as unknown as ArticlesRepository);
  const change = (status: ArticleStatus) => handler.execute(new ChangeArticleStatusCommand(testContext(), 'art-1', status as 'published' | 'archived'));
  return { tx, articles, change };
}

describe('ChangeArticleStatusHandler', () => {
  it('publishes a draft: audit, and kb.article_published with from, version, visibility and locale', async () => {
    const { tx, articles, change } = setup(anArticle({ status: 'draft', version: 2, visibility: 'internal', locale: 'de' }));
    const after = await change('published');
    expect(articles.updateStatus).toHaveBeenCalledWith(expect.anything(), 'art-1', 'published');
    expect(after).toMatchObject({ status: 'published', version: 3 });
    expect(tx.audits).toEqual([{ action: 'kb.article_published', entityType: 'kb_article', entityId: 'art-1', before: { status: 'draft' }, after: { status: 'published' } }]);
    expect(tx.emitted).toEqual([{ type: 'kb.article_published', aggregateId: 'art-1', payload: { from: 'draft', version: 3, visibility: 'internal', locale: 'de' } }]);
  });

  it('archives a published article with kb.article_archived', async () => {
    const { tx, change } = setup(anArticle({ status: 'published', version: 5 }));
    await change('archived');
    expect(tx.emitted).toEqual([{ type: 'kb.article_archived', aggregateId: 'art-1', payload: { from: 'published', version: 6, visibility: 'public', locale: 'en' } }]);
  });

  it('publishes an archived article again', async () => {
    const { tx, change } = setup(anArticle({ status: 'archived' }));
    await change('published');
    expect(tx.emitted[0]).toMatchObject({ type: 'kb.article_published', payload: { from: 'archived' } });
  });

  it('changes nothing when the article already has the status', async () => {
    const { tx, articles, change } = setup(anArticle({ status: 'published' }));
    await expect(change('published')).resolves.toMatchObject({ status: 'published', version: 1 });
    expect(articles.updateStatus).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('refuses a way back to draft (409 invalid-transition)', async () => {
    const { tx, articles, change } = setup(anArticle({ status: 'published' }));
    await expect(change('draft')).rejects.toMatchObject({ problem: { status: 409, type: 'invalid-transition' } });
    expect(articles.updateStatus).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a missing article', async () => {
    const { tx, change } = setup(undefined);
    await expect(change('published')).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tx.events).toEqual([]);
  });
});
