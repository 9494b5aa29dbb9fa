import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { KbConfig } from '../../knowledge-base.context';
import type { ArticlesRepository } from '../../repositories/articles.repository';
import type { NewArticle } from '../../repositories/articles.sql';
import type { ArticleView, SectionView } from '../../repositories/kb.sql';
import type { RevisionsRepository } from '../../repositories/revisions.repository';
import type { SectionsRepository } from '../../repositories/sections.repository';
import { anArticle, aSection } from '../../testing/kb-views';
import { CreateArticleCommand, type CreateArticleInput } from './create-article.command';
import { CreateArticleHandler } from './create-article.handler';

const config = { KB_ARTICLE_MAX_BYTES: 64 } as KbConfig;

function setup(section: SectionView | undefined, takenSlugs: string[] = []) {
  const tx = new FakeTenantTransaction();
  let inserted: ArticleView | undefined;
  const sections = { find: jest.fn(async () => section) };
  const articles = {
    slugFree: jest.fn(async (_tx: TenantTx, _locale: string, slug: string) => !takenSlugs.includes(slug)),
    insert: jest.fn(async (_tx: TenantTx, a: NewArticle) => {
      inserted = anArticle({ id: 'art-new', ...a, authorId: a.authorId });
      return 'art-new';
    }),
    find: jest.fn(async () => inserted),
  };
  const revisions = { append: jest.fn(async () => ({ id: 'rev-1', number: 1 })) };
  const handler = new CreateArticleHandler(
    tx.asTenantTransaction(),
    sections as unknown as SectionsRepository,
    articles as unknown as ArticlesRepository,
    revisions as unknown as RevisionsRepository,
    config,
  );
  const create = async (input: Partial<CreateArticleInput>) => handler.execute(new CreateArticleCommand(testContext(), { sectionId: 'sec-1', title: 'Reset your password', body: 'Click it.', ...input }));
  return { tx, sections, articles, revisions, create };
}

describe('CreateArticleHandler', () => {
  it('creates a draft in the section’s category and locale, with its first revision, audit and kb.article_created', async () => {
    const { tx, articles, revisions, create } = setup(aSection({ locale: 'de' }));
    const article = await create({ tags: [' Billing', 'billing', 'FAQ'], visibility: 'internal' });
    expect(articles.insert).toHaveBeenCalledWith(expect.anything(), {
      sectionId: 'sec-1',
      categoryId: 'cat-1',
      locale: 'de',
      title: 'Reset your password',
      slug: 'reset-your-password',
      body: 'Click it.',
      html: expect.stringContaining('Click it.'),
      visibility: 'internal',
      tags: ['billing', 'faq'],
      authorId: testContext().actorId,
      position: 0,
    });
    const content = { title: 'Reset your password', slug: 'reset-your-password', body: 'Click it.', visibility: 'internal', tags: ['billing', 'faq'], sectionId: 'sec-1' };
    expect(revisions.append).toHaveBeenCalledWith(expect.anything(), 'art-new', content, expect.objectContaining({ fields: Object.keys(content) }));
    const { body: _body, ...auditable } = content;
    expect(tx.audits).toEqual([{ action: 'kb.article_created', entityType: 'kb_article', entityId: 'art-new', after: { ...auditable, bodyBytes: 9 } }]);
    expect(tx.emitted).toEqual([{ type: 'kb.article_created', aggregateId: 'art-new', payload: { version: article.version, status: 'draft' } }]);
  });

  it('derives the slug from the title, taking the first free of base, base-2, base-3', async () => {
    const { articles, create } = setup(aSection(), ['reset-your-password', 'reset-your-password-2']);
    await create({});
    expect(articles.slugFree.mock.calls.map((c) => c[2])).toEqual(['reset-your-password', 'reset-your-password-2', 'reset-your-password-3']);
    expect(articles.insert).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ slug: 'reset-your-password-3' }));
  });

  it('refuses an explicit slug already taken in the locale (409 slug-taken) and writes nothing', async () => {
    const { tx, articles, revisions, create } = setup(aSection(), ['billing-faq']);
    await expect(create({ slug: 'Billing FAQ' })).rejects.toMatchObject({ problem: { status: 409, type: 'slug-taken' } });
    expect(articles.slugFree).toHaveBeenCalledWith(expect.anything(), 'en', 'billing-faq');
    expect(articles.insert).not.toHaveBeenCalled();
    expect(revisions.append).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses a body over KB_ARTICLE_MAX_BYTES with 413 before opening a transaction', async () => {
    const { tx, sections, articles, create } = setup(aSection());
    await expect(create({ body: 'é'.repeat(33) })).rejects.toMatchObject({ problem: { status: 413, type: 'article-too-large', extensions: { limit: 64 } } });
    expect(sections.find).not.toHaveBeenCalled();
    expect(articles.insert).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it('accepts a body of exactly the limit', async () => {
    const { articles, create } = setup(aSection());
    await create({ body: 'x'.repeat(64) });
    expect(articles.insert).toHaveBeenCalled();
  });

  it('refuses a section that does not exist (422 invalid-reference)', async () => {
    const { tx, articles, create } = setup(undefined);
    await expect(create({})).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
    expect(articles.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });
});
