import type { ReportFact } from '../repositories/rollups.sql';

/** A CSAT rating counts as good when it is `good` on the binary scale or 4–5 on the five-point one. */
export const isGoodRating = (rating: unknown): boolean => rating === 'good' || (typeof rating === 'number' && rating >= 4);

interface Envelope<P> {
  id: string;
  aggregateId: string;
  occurredAt: string;
  actorId: string | null;
  payload: P;
}
const fact = (f: Partial<ReportFact> & Pick<ReportFact, 'source' | 'factId' | 'at'>): ReportFact => ({ ticketId: null, groupId: null, agentId: null, key: '', n: 1, amount: 0, amount2: 0, ...f });

/**
 * Each source event as the fact the rollups count (pure). The fact id makes a redelivery or a
 * later event of the same thing replace the fact rather than add one: a ticket's CSAT is its
 * latest rating, a job completes once, a suggestion is decided once, each model call is its event.
 */
export const facts = {
  slaBreached: (e: Envelope<{ metric: string; breachedAt: string }>, dims: { groupId: string | null; agentId: string | null }): ReportFact =>
    fact({ source: 'sla_breached', factId: `${e.aggregateId}:${e.payload.metric}:${e.payload.breachedAt}`, at: e.payload.breachedAt, ticketId: e.aggregateId, key: e.payload.metric, ...dims }),
  csatRated: (e: Envelope<{ rating: unknown; assigneeId: string | null; groupId: string | null }>): ReportFact =>
    fact({ source: 'csat', factId: e.aggregateId, at: e.occurredAt, ticketId: e.aggregateId, key: isGoodRating(e.payload.rating) ? 'good' : 'bad', groupId: e.payload.groupId, agentId: e.payload.assigneeId }),
  jobCompleted: (e: Envelope<{ completedAt: string; currency: string | null; total: number; visitIds: string[] }>): ReportFact =>
    fact({ source: 'job_completed', factId: e.aggregateId, at: e.payload.completedAt, key: e.payload.currency ?? '', amount: e.payload.total, amount2: e.payload.visitIds.length }),
  aiUsage: (e: Envelope<{ feature: string; provider: string; promptTokens: number; completionTokens: number; costMicros: number }>): ReportFact =>
    fact({
      source: 'ai_usage',
      factId: e.id,
      at: e.occurredAt,
      agentId: e.actorId,
      key: `${e.payload.feature}/${e.payload.provider}`,
      amount: e.payload.promptTokens + e.payload.completionTokens,
      amount2: e.payload.costMicros,
    }),
  suggestionOffered: (e: Envelope<{ suggestionId: string; kind: string }>): ReportFact =>
    fact({ source: 'ai_suggestion_offered', factId: e.payload.suggestionId, at: e.occurredAt, ticketId: e.aggregateId, key: e.payload.kind }),
  suggestionDecided: (e: Envelope<{ suggestionId: string }>, accepted: boolean): ReportFact =>
    fact({ source: 'ai_suggestion_decided', factId: e.payload.suggestionId, at: e.occurredAt, ticketId: e.aggregateId, agentId: e.actorId, key: accepted ? 'accepted' : 'rejected' }),
};
