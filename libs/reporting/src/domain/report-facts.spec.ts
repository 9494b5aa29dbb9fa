import { facts, isGoodRating } from './report-facts';

const envelope = <P>(payload: P) => ({ id: 'e1', aggregateId: 't1', occurredAt: '2026-03-29T10:00:00.000Z', actorId: 'u1', payload });

describe('report facts', () => {
  it('counts good on either CSAT scale', () => {
    expect([isGoodRating('good'), isGoodRating('bad'), isGoodRating(5), isGoodRating(4), isGoodRating(3)]).toEqual([true, false, true, true, false]);
  });

  it('keys a ticket’s CSAT by the ticket (a changed rating replaces it) and a model call by its event', () => {
    expect(facts.csatRated(envelope({ rating: 2, assigneeId: 'a1', groupId: null }))).toMatchObject({ source: 'csat', factId: 't1', key: 'bad', agentId: 'a1' });
    expect(facts.aiUsage(envelope({ feature: 'reply_draft', provider: 'openai', promptTokens: 120, completionTokens: 30, costMicros: 450 }))).toMatchObject({
      factId: 'e1',
      key: 'reply_draft/openai',
      amount: 150,
      amount2: 450,
    });
  });

  it('records a completed job’s total in minor units and its visits (first-time fix: one visit)', () => {
    expect(facts.jobCompleted(envelope({ completedAt: '2026-03-29T09:00:00.000Z', currency: 'EUR', total: 12_345, visitIds: ['v1'] }))).toMatchObject({
      factId: 't1',
      at: '2026-03-29T09:00:00.000Z',
      key: 'EUR',
      amount: 12_345,
      amount2: 1,
    });
  });
});
