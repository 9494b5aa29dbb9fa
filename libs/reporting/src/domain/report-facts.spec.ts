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

  it('keys an SLA target by its cycle (a later fulfilment replaces it) and counts one met late as nothing (its breach counts)', () => {
    const met = { metric: 'resolution', cycleStartedAt: '2026-03-29T08:00:00.000Z', elapsedMinutes: 30.4 };
    const onTime = facts.slaFulfilled(envelope({ ...met, fulfilledAt: '2026-03-29T08:30:00.000Z', breached: false }), { groupId: 'g1', agentId: 'a1' });
    expect(onTime).toMatchObject({ source: 'sla_fulfilled', factId: 't1:resolution:2026-03-29T08:00:00.000Z', at: '2026-03-29T08:30:00.000Z', key: 'resolution', n: 1, amount: 30, groupId: 'g1', agentId: 'a1' });
    const late = facts.slaFulfilled(envelope({ ...met, fulfilledAt: '2026-03-30T10:00:00.000Z', breached: true }), { groupId: null, agentId: null });
    expect(late).toMatchObject({ factId: onTime.factId, n: 0, amount2: 1 });
    expect(late.version).toBeGreaterThan(onTime.version);
  });

  it('keys a survey sent by its ticket', () => {
    expect(facts.csatOffered(envelope({ assigneeId: 'a1', groupId: 'g1' }))).toMatchObject({ source: 'csat_offered', factId: 't1', at: '2026-03-29T10:00:00.000Z', agentId: 'a1', groupId: 'g1', n: 1 });
  });

  it('keys a visit’s slot by the visit with its version, for its technician; cancelled or unassigned, it schedules no one', () => {
    const visit = { visitId: 'v1', technicianId: 'tech', scheduledStart: '2026-03-29T22:00:00.000Z', scheduledEnd: '2026-03-30T02:00:00.000Z', version: 3 };
    expect(facts.visitScheduled(visit, false)).toMatchObject({ source: 'visit_scheduled', factId: 'v1', at: visit.scheduledStart, endsAt: visit.scheduledEnd, agentId: 'tech', n: 1, version: 3 });
    expect(facts.visitScheduled(visit, true)).toMatchObject({ factId: 'v1', n: 0, key: 'cancelled' });
    expect(facts.visitScheduled({ ...visit, technicianId: null }, false)).toMatchObject({ n: 0, key: 'unassigned' });
    expect(facts.visitScheduled({ ...visit, version: undefined }, false).version).toBe(0);
    const clocked = facts.visitClocked(envelope({ ...visit, clockedInAt: '2026-03-29T22:10:00.000Z', clockedOutAt: '2026-03-30T01:00:00.000Z' }));
    expect(clocked).toMatchObject({ source: 'visit_clocked', factId: 'v1', at: '2026-03-29T22:10:00.000Z', endsAt: '2026-03-30T01:00:00.000Z', agentId: 'tech', n: 1 });
  });
});
