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
const fact = (f: Partial<ReportFact> & Pick<ReportFact, 'source' | 'factId' | 'at'>): ReportFact => ({
  ticketId: null,
  groupId: null,
  agentId: null,
  key: '',
  n: 1,
  amount: 0,
  amount2: 0,
  endsAt: null,
  version: 0,
  ...f,
});

/** A visit as the field-service events describe it (version: the visit's, after the change). */
interface VisitState {
  visitId: string;
  technicianId: string | null;
  scheduledStart: string;
  scheduledEnd: string;
  version?: number;
}

/**
 * Each source event as the fact the rollups count (pure). The fact id makes a redelivery or a
 * later event of the same thing replace the fact rather than add one: a ticket's CSAT is its
 * latest rating, a job completes once, a suggestion is decided once, each model call is its event,
 * a ticket's survey is sent once, an SLA target cycle's latest fulfilment counts, a visit's latest
 * version is its schedule, and its clock interval is recorded when it is clocked out. Facts with
 * `n` 0 count nothing (a target met late — its breach counts —, a visit cancelled or unassigned);
 * `version` orders the events about one fact, so an older one arriving late changes nothing.
 */
export const facts = {
  slaBreached: (e: Envelope<{ metric: string; breachedAt: string }>, dims: { groupId: string | null; agentId: string | null }): ReportFact =>
    fact({ source: 'sla_breached', factId: `${e.aggregateId}:${e.payload.metric}:${e.payload.breachedAt}`, at: e.payload.breachedAt, ticketId: e.aggregateId, key: e.payload.metric, ...dims }),
  /** A target met counts on the day it was met; met after its deadline, it counts nothing here (its breach counted on the day of the breach). */
  slaFulfilled: (
    e: Envelope<{ metric: string; fulfilledAt: string; cycleStartedAt: string; breached: boolean; elapsedMinutes: number }>,
    dims: { groupId: string | null; agentId: string | null },
  ): ReportFact =>
    fact({
      source: 'sla_fulfilled',
      factId: `${e.aggregateId}:${e.payload.metric}:${e.payload.cycleStartedAt}`,
      at: e.payload.fulfilledAt,
      ticketId: e.aggregateId,
      key: e.payload.metric,
      n: e.payload.breached ? 0 : 1,
      amount: Math.round(e.payload.elapsedMinutes),
      amount2: e.payload.breached ? 1 : 0,
      version: Date.parse(e.payload.fulfilledAt),
      ...dims,
    }),
  csatOffered: (e: Envelope<{ assigneeId: string | null; groupId: string | null }>): ReportFact =>
    fact({ source: 'csat_offered', factId: e.aggregateId, at: e.occurredAt, ticketId: e.aggregateId, groupId: e.payload.groupId, agentId: e.payload.assigneeId }),
  /** A visit's slot for its technician (the latest version wins); a cancelled or unassigned visit schedules no one. */
  visitScheduled: (visit: VisitState, cancelled: boolean): ReportFact =>
    fact({
      source: 'visit_scheduled',
      factId: visit.visitId,
      at: visit.scheduledStart,
      endsAt: visit.scheduledEnd,
      agentId: visit.technicianId,
      key: cancelled ? 'cancelled' : visit.technicianId ? '' : 'unassigned',
      n: cancelled || !visit.technicianId ? 0 : 1,
      version: visit.version ?? 0,
    }),
  /** The technician's time on site: one clock interval per visit, recorded at clock-out. */
  visitClocked: (e: Envelope<VisitState & { clockedInAt: string; clockedOutAt: string }>): ReportFact =>
    fact({ source: 'visit_clocked', factId: e.payload.visitId, at: e.payload.clockedInAt, endsAt: e.payload.clockedOutAt, agentId: e.payload.technicianId, version: e.payload.version ?? 0 }),
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
