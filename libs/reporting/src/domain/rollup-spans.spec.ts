import { dirtySpans, divergence, localDay, type TicketFootprint } from './rollup-spans';
import type { StatusInterval, TicketMetrics } from './ticket-metrics';

const metrics = (over: Partial<TicketMetrics> = {}): TicketMetrics => ({
  ticketId: '11111111-1111-4111-8111-111111111111',
  createdAt: '2026-03-01T08:00:00.000Z',
  status: 'open',
  customStatusId: null,
  groupId: null,
  assigneeId: null,
  channel: 'email',
  priority: 'normal',
  tags: [],
  firstReplyAt: null,
  firstReplyMinutes: null,
  firstReplyBusinessMinutes: null,
  nextReplies: [],
  firstSolvedAt: null,
  solvedAt: null,
  fullResolutionMinutes: null,
  fullResolutionBusinessMinutes: null,
  publicReplies: 0,
  internalNotes: 0,
  reopens: 0,
  assigneeChanges: 0,
  groupChanges: 0,
  agentTouches: 0,
  historyPosition: 1,
  ...over,
});
const iv = (seq: number, status: string, startedAt: string, endedAt: string | null): StatusInterval => ({ seq, status, customStatusId: null, startedAt, endedAt, minutes: null, businessMinutes: null });
const open: TicketFootprint = { metrics: metrics(), intervals: [iv(1, 'open', '2026-03-01T08:00:00.000Z', null)] };
const solved: TicketFootprint = {
  metrics: metrics({ status: 'solved', solvedAt: '2026-03-20T10:00:00.000Z', firstSolvedAt: '2026-03-20T10:00:00.000Z', fullResolutionMinutes: 27_480 }),
  intervals: [iv(1, 'open', '2026-03-01T08:00:00.000Z', '2026-03-20T10:00:00.000Z'), iv(2, 'solved', '2026-03-20T10:00:00.000Z', null)],
};

describe('dirtySpans: which instants a ticket’s recompute leaves to roll up again', () => {
  it('marks nothing when the figures are the same (a redelivered event)', () => {
    expect(dirtySpans(solved, structuredClone(solved))).toEqual([]);
    expect(dirtySpans(undefined, undefined)).toEqual([]);
  });

  it('marks from the change on, not every day since the previous one, plus the solve day', () => {
    expect(dirtySpans(open, solved)).toEqual([
      { from: '2026-03-20T10:00:00.000Z', to: null },
      { from: '2026-03-20T10:00:00.000Z', to: '2026-03-20T10:00:00.000Z' },
    ]);
  });

  it('marks the old solve day of a reopened ticket', () => {
    const reopened: TicketFootprint = {
      metrics: metrics({ reopens: 1, firstSolvedAt: solved.metrics.firstSolvedAt }),
      intervals: [...solved.intervals.slice(0, 1), iv(2, 'solved', '2026-03-20T10:00:00.000Z', '2026-03-22T09:00:00.000Z'), iv(3, 'open', '2026-03-22T09:00:00.000Z', null)],
    };
    expect(dirtySpans(solved, reopened)).toEqual([
      { from: '2026-03-22T09:00:00.000Z', to: null },
      { from: '2026-03-20T10:00:00.000Z', to: '2026-03-20T10:00:00.000Z' },
    ]);
  });

  it('marks from creation when the ticket appears, goes, or moves to another group, agent, channel, priority or tag set', () => {
    expect(dirtySpans(undefined, open)).toEqual([{ from: '2026-03-01T08:00:00.000Z', to: null }]);
    expect(dirtySpans(open, undefined)).toEqual([{ from: '2026-03-01T08:00:00.000Z', to: null }]);
    for (const change of [{ groupId: '22222222-2222-4222-8222-222222222222' }, { assigneeId: '33333333-3333-4333-8333-333333333333' }, { priority: 'high' }, { channel: 'chat' }, { tags: ['vip'] }]) {
      expect(dirtySpans(open, { ...open, metrics: metrics(change) })).toEqual([{ from: '2026-03-01T08:00:00.000Z', to: null }]);
    }
  });

  it('finds where a late entry rewrote history (an earlier change arriving after a later one)', () => {
    const late = [iv(1, 'open', '2026-03-01T08:00:00.000Z', '2026-03-05T12:00:00.000Z'), iv(2, 'pending', '2026-03-05T12:00:00.000Z', '2026-03-20T10:00:00.000Z'), iv(3, 'solved', '2026-03-20T10:00:00.000Z', null)];
    expect(divergence(solved.intervals, late)).toBe('2026-03-05T12:00:00.000Z');
    expect(divergence(late, late)).toBeNull();
  });
});

describe('localDay', () => {
  it('reads the day in the zone, on both sides of Berlin’s DST changes', () => {
    expect(localDay('2026-03-28T23:30:00Z', 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDay('2026-03-29T21:59:00Z', 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDay('2026-03-29T22:00:00Z', 'Europe/Berlin')).toBe('2026-03-30');
    expect(localDay('2026-10-25T22:59:00Z', 'Europe/Berlin')).toBe('2026-10-25');
    expect(localDay('2026-10-25T23:00:00Z', 'Europe/Berlin')).toBe('2026-10-26');
    expect(localDay('2026-03-01T03:00:00Z', 'America/Los_Angeles')).toBe('2026-02-28');
  });
});
