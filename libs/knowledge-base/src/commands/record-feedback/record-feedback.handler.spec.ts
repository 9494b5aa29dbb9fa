import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ArticleAudience, ArticlesRepository } from '../../repositories/articles.repository';
import type { FeedbackRepository } from '../../repositories/feedback.repository';
import { RecordFeedbackCommand, type FeedbackInput } from './record-feedback.command';
import { RecordFeedbackHandler } from './record-feedback.handler';

const visitor = { ip: '203.0.113.7', userAgent: 'Firefox' };

function setup(article: ArticleAudience | undefined, previous?: { helpful: boolean }) {
  const tx = new FakeTenantTransaction();
  const articles = { findAudienceForUpdate: jest.fn(async () => article) };
  const feedback = {
    previous: jest.fn(async () => previous),
    save: jest.fn(async (_tx: unknown, _id: string, _key: string, _helpful: boolean, _comment: string | null) => undefined),
    addToCounts: jest.fn(async (_tx: unknown, _id: string, helpful: number, unhelpful: number) => ({ helpful: 10 + helpful, unhelpful: 4 + unhelpful })),
  };
  const handler = new RecordFeedbackHandler(tx.asTenantTransaction(), articles as unknown as ArticlesRepository, feedback as unknown as FeedbackRepository);
  const record = (input: FeedbackInput, audience: 'public' | 'agent' = 'public') => handler.execute(new RecordFeedbackCommand(testContext(), 'art-1', input, visitor, audience));
  return { tx, feedback, record };
}

const published = { status: 'published', visibility: 'public' } as const;

describe('RecordFeedbackHandler', () => {
  it('counts a first answer and emits kb.article_feedback_received, without an audit entry', async () => {
    const { tx, feedback, record } = setup(published);
    await expect(record({ helpful: true, comment: 'Thanks' })).resolves.toEqual({ articleId: 'art-1', helpful: 11, unhelpful: 4, counted: true });
    expect(feedback.addToCounts).toHaveBeenCalledWith(expect.anything(), 'art-1', 1, 0);
    expect(tx.emitted).toEqual([{ type: 'kb.article_feedback_received', aggregateId: 'art-1', payload: { helpful: true, hasComment: true } }]);
    expect(tx.audits).toEqual([]);
  });

  it('replaces a visitor’s earlier answer: the count moves sides instead of growing', async () => {
    const { feedback, record } = setup(published, { helpful: true });
    await expect(record({ helpful: false, visitorId: 'v-1' })).resolves.toMatchObject({ helpful: 9, unhelpful: 5, counted: false });
    expect(feedback.addToCounts).toHaveBeenCalledWith(expect.anything(), 'art-1', -1, 1);
    expect(feedback.save).toHaveBeenCalledWith(expect.anything(), 'art-1', expect.any(String), false, null);
  });

  it('keys a visitor by a hash (of the visitor id, else of IP and user agent), never the IP itself', async () => {
    const { feedback, record } = setup(published);
    await record({ helpful: true, visitorId: 'v-1' });
    await record({ helpful: true });
    const keys = feedback.save.mock.calls.map((c) => c[2]);
    expect(keys).toEqual([createHash('sha256').update('visitor:v-1').digest('base64url'), createHash('sha256').update('anon:203.0.113.7|Firefox').digest('base64url')]);
    expect(keys.join()).not.toContain('203.0.113.7');
  });

  it.each([
    ['a draft', { status: 'draft', visibility: 'public' }],
    ['an internal article', { status: 'published', visibility: 'internal' }],
    ['a missing article', undefined],
  ] as const)('answers 404 to the public for %s and records nothing', async (_name, article) => {
    const { tx, feedback, record } = setup(article);
    await expect(record({ helpful: true })).rejects.toMatchObject({ problem: { status: 404 } });
    expect(feedback.save).not.toHaveBeenCalled();
    expect(feedback.addToCounts).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('lets an agent rate an internal draft', async () => {
    const { feedback, record } = setup({ status: 'draft', visibility: 'internal' });
    await record({ helpful: false }, 'agent');
    expect(feedback.addToCounts).toHaveBeenCalledWith(expect.anything(), 'art-1', 0, 1);
  });
});
