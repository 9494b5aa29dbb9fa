import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { CalendarSpec, TicketTimeline, TimelineEntry } from '@switchboard/tickets';
import { computeTicketMetrics, type StatusInterval, type TicketMetrics } from './ticket-metrics';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-28T23:00:00.000Z'); // Sunday 00:00 in Berlin: the spring change (02:00 → 03:00) inside most histories
const BERLIN: CalendarSpec = { timeZone: 'Europe/Berlin', week: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }], sun: [{ start: '01:00', end: '04:00' }, { start: '10:00', end: '11:30' }] }, holidays: [] };
const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
const DONE = (s: string) => s === 'solved' || s === 'closed';
const iso = (ms: number) => new Date(ms).toISOString();

/** What can happen to a ticket after its creation, as the tickets context writes it into history. */
type Step =
  | { kind: 'message'; visibility: 'public' | 'internal'; author: 'agent' | 'contact'; by: 'user' | 'api_key' | 'system' }
  | { kind: 'status'; to: (typeof STATUSES)[number]; custom: string | null | undefined; by: 'user' | 'system' }
  | { kind: 'custom'; to: string | null }
  | { kind: 'assign'; to: string | null }
  | { kind: 'group'; to: string | null }
  | { kind: 'merge' };

const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', null];
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('message' as const), visibility: fc.constantFrom('public' as const, 'internal' as const), author: fc.constantFrom('agent' as const, 'contact' as const), by: fc.constantFrom('user' as const, 'api_key' as const, 'system' as const) }),
  fc.record({ kind: fc.constant('status' as const), to: fc.constantFrom(...STATUSES.slice(1)), custom: fc.constantFrom(undefined, null, 'c-1', 'c-2'), by: fc.constantFrom('user' as const, 'system' as const) }),
  fc.record({ kind: fc.constant('custom' as const), to: fc.constantFrom(null, 'c-1', 'c-2') }),
  fc.record({ kind: fc.constant('assign' as const), to: fc.constantFrom(...ids) }),
  fc.record({ kind: fc.constant('group' as const), to: fc.constantFrom(...ids) }),
  fc.constant({ kind: 'merge' as const }),
);

interface History {
  timeline: TicketTimeline;
  /** Which entries each committed change wrote (a change writes one entry, and is announced by one or two events). */
  commits: number[];
}

/** A ticket's history as the tickets context would record it: statuses move as its rules move them, a merge closes it for good. */
const history: fc.Arbitrary<History> = fc
  .record({
    initial: fc.constantFrom('new' as const, 'open' as const),
    calendar: fc.boolean(),
    steps: fc.array(fc.tuple(step, fc.integer({ min: 0, max: 150 })), { maxLength: 14 }),
    deleted: fc.boolean().map((b) => b && Math.random() < 0.2),
  })
  .map(({ initial, calendar, steps, deleted }) => {
    let t = T0;
    let status: string = initial;
    let custom: string | null = null;
    let assignee: string | null = null;
    let group: string | null = null;
    let position = 100;
    const entries: TimelineEntry[] = [{ position, action: 'ticket.created', actorType: 'user', at: iso(t), status: { from: null, to: initial }, customStatusId: { from: null, to: null }, assigneeId: { from: null, to: null }, groupId: { from: null, to: null } }];
    for (const [s, minutes] of steps) {
      if (status === 'closed') break;
      t += minutes * MINUTE;
      position += 1 + (minutes % 3); // positions are global: other tickets' entries fall between
      const base = { position, at: iso(t) };
      if (s.kind === 'message') {
        const next = s.visibility === 'public' && ((s.author === 'contact' && (status === 'solved' || status === 'pending')) || (s.author === 'agent' && status === 'new')) ? 'open' : status;
        entries.push({ ...base, action: 'ticket.message_added', actorType: s.author === 'agent' ? s.by : 'system', message: { visibility: s.visibility, authorType: s.author }, ...(next !== status ? { status: { from: status, to: next } } : {}) });
        if (next !== status) custom = null;
        status = next;
      } else if (s.kind === 'status') {
        if (s.to === status || (s.to === 'closed' && status !== 'solved')) continue;
        const nextCustom = s.custom === undefined ? null : s.custom;
        entries.push({ ...base, action: 'ticket.updated', actorType: s.by, status: { from: status, to: s.to }, ...(s.custom !== undefined && nextCustom !== custom ? { customStatusId: { from: custom, to: nextCustom } } : {}) });
        status = s.to;
        custom = nextCustom;
      } else if (s.kind === 'custom') {
        if (s.to === custom) continue;
        entries.push({ ...base, action: 'ticket.updated', actorType: 'user', customStatusId: { from: custom, to: s.to } });
        custom = s.to;
      } else if (s.kind === 'assign') {
        if (s.to === assignee) continue;
        entries.push({ ...base, action: 'ticket.updated', actorType: 'user', assigneeId: { from: assignee, to: s.to } });
        assignee = s.to;
      } else if (s.kind === 'group') {
        if (s.to === group) continue;
        entries.push({ ...base, action: 'ticket.updated', actorType: 'user', groupId: { from: group, to: s.to } });
        group = s.to;
      } else {
        entries.push({ ...base, action: 'ticket.merged', actorType: 'user', status: { from: status, to: 'closed' } });
        status = 'closed';
        custom = null;
      }
    }
    const timeline: TicketTimeline = {
      ticketId: '00000000-0000-4000-8000-0000000000aa',
      deleted,
      createdAt: iso(T0),
      status,
      customStatusId: custom,
      groupId: group,
      assigneeId: assignee,
      channel: 'email',
      priority: 'normal',
      calendar: calendar ? BERLIN : null,
      entries,
    };
    return { timeline, commits: entries.map((_, i) => i) };
  });

const openMinutes = new Map<number, boolean>();
/** Whether the calendar is open during the minute starting at `t`, by the wall clock in its zone (independent of the engine). */
function openAt(spec: CalendarSpec, t: number): boolean {
  let open = openMinutes.get(t);
  if (open === undefined) {
    const local = DateTime.fromMillis(t, { zone: spec.timeZone });
    const minute = local.hour * 60 + local.minute;
    const day = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const)[local.weekday - 1]!;
    open = (spec.week[day] ?? []).some((iv) => {
      const [sh, sm] = iv.start.split(':').map(Number);
      const [eh, em] = iv.end.split(':').map(Number);
      return sh! * 60 + sm! <= minute && minute < eh! * 60 + em!;
    });
    openMinutes.set(t, open);
  }
  return open;
}
/** Business minutes counted minute by minute (the histories move in whole minutes). */
function bruteBusiness(spec: CalendarSpec | null, from: string, to: string): number | null {
  if (!spec) return null;
  let n = 0;
  for (let t = Date.parse(from); t < Date.parse(to); t += MINUTE) if (openAt(spec, t)) n++;
  return n;
}
const mins = (from: string, to: string) => Math.round(((Date.parse(to) - Date.parse(from)) / MINUTE) * 100) / 100;

/**
 * The metrics recomputed the long way from the whole history: the state after every entry, then
 * intervals as runs of equal states, replies by looking back from each agent reply.
 */
function bruteForce(t: TicketTimeline): { metrics: Omit<TicketMetrics, 'historyPosition'>; intervals: StatusInterval[] } {
  const states: { at: string; status: string; custom: string | null }[] = [];
  for (const e of t.entries) {
    const prev = states.at(-1);
    const status = e.status?.to ?? prev!.status;
    const custom = e.customStatusId ? e.customStatusId.to : prev && status !== prev.status ? null : (prev?.custom ?? null);
    states.push({ at: e.at, status, custom });
  }
  const runs = states.filter((s, i) => i === 0 || s.status !== states[i - 1]!.status || s.custom !== states[i - 1]!.custom);
  const intervals = runs.map((r, i): StatusInterval => {
    const end = runs[i + 1]?.at ?? null;
    return { seq: i + 1, status: r.status, customStatusId: r.custom, startedAt: r.at, endedAt: end, minutes: end ? mins(r.at, end) : null, businessMinutes: end ? bruteBusiness(t.calendar, r.at, end) : null };
  });
  const replies = t.entries.filter((e) => e.message?.visibility === 'public' && e.message.authorType === 'agent');
  const nextReplies = replies.slice(1).flatMap((r, i) => {
    const asked = t.entries.find((e) => e.position > replies[i]!.position && e.position < r.position && e.message?.visibility === 'public' && e.message.authorType === 'contact');
    return asked ? [{ requestedAt: asked.at, repliedAt: r.at, minutes: mins(asked.at, r.at), businessMinutes: bruteBusiness(t.calendar, asked.at, r.at) }] : [];
  });
  const entering = states.filter((s, i) => DONE(s.status) && (i === 0 || !DONE(states[i - 1]!.status)));
  const solvedAt = DONE(states.at(-1)!.status) ? entering.at(-1)!.at : null;
  const createdAt = t.entries[0]!.at;
  const first = replies[0]?.at ?? null;
  const later = t.entries.slice(1);
  return {
    metrics: {
      ticketId: t.ticketId,
      createdAt,
      status: t.status,
      customStatusId: t.customStatusId,
      groupId: t.groupId,
      assigneeId: t.assigneeId,
      channel: t.channel,
      priority: t.priority,
      tags: [...new Set(t.tags ?? [])].sort(),
      firstReplyAt: first,
      firstReplyMinutes: first ? mins(createdAt, first) : null,
      firstReplyBusinessMinutes: first ? bruteBusiness(t.calendar, createdAt, first) : null,
      nextReplies,
      firstSolvedAt: entering[0]?.at ?? null,
      solvedAt,
      fullResolutionMinutes: solvedAt ? mins(createdAt, solvedAt) : null,
      fullResolutionBusinessMinutes: solvedAt ? bruteBusiness(t.calendar, createdAt, solvedAt) : null,
      publicReplies: replies.length,
      internalNotes: later.filter((e) => e.message?.visibility === 'internal').length,
      reopens: states.filter((s, i) => i > 0 && DONE(states[i - 1]!.status) && !DONE(s.status)).length,
      assigneeChanges: later.filter((e) => e.assigneeId && e.assigneeId.from !== e.assigneeId.to).length,
      groupChanges: later.filter((e) => e.groupId && e.groupId.from !== e.groupId.to).length,
      agentTouches: t.entries.filter((e) => e.actorType === 'user' && (e.action === 'ticket.updated' || (e.action === 'ticket.message_added' && e.message?.authorType === 'agent'))).length,
    },
    intervals,
  };
}

/**
 * The worker as it runs: each committed change announced by an event, delivered later, in any
 * order and possibly more than once; a delivery whose receipt exists does nothing, any other
 * recomputes from the history committed by then. A deleted ticket's metrics are dropped.
 */
function deliver(h: History, deliveries: { event: number; delay: number }[]): ReturnType<typeof computeTicketMetrics> | undefined {
  const total = h.commits.length;
  const schedule = [...deliveries.map((d) => ({ event: d.event % total, at: (d.event % total) + d.delay })), ...h.commits.map((c) => ({ event: c, at: c + 0.5 }))].sort((a, b) => a.at - b.at);
  const receipts = new Set<number>();
  let stored: ReturnType<typeof computeTicketMetrics> | undefined;
  for (const d of schedule) {
    if (receipts.has(d.event)) continue;
    receipts.add(d.event);
    const committed = Math.min(total, Math.floor(d.at) + 1);
    const visible: TicketTimeline = { ...h.timeline, deleted: h.timeline.deleted && committed === total, entries: h.timeline.entries.slice(0, committed) };
    stored = visible.deleted ? undefined : computeTicketMetrics(visible);
  }
  return stored;
}

describe('ticket metrics', () => {
  it('equal a brute-force recomputation from the whole history (calendar and business minutes across the DST change)', () => {
    fc.assert(
      fc.property(history, ({ timeline }) => {
        const { metrics, intervals } = computeTicketMetrics(timeline);
        const expected = bruteForce(timeline);
        const { historyPosition, ...rest } = metrics;
        expect(rest).toEqual(expected.metrics);
        expect(historyPosition).toBe(timeline.entries.at(-1)!.position);
        expect(intervals).toEqual(expected.intervals);
      }),
      { numRuns: 100 },
    );
  });

  it('kept by the worker under out-of-order and duplicated deliveries equal the recomputation (and vanish for a deleted ticket)', () => {
    fc.assert(
      fc.property(history, fc.array(fc.record({ event: fc.nat(), delay: fc.integer({ min: 0, max: 20 }) }), { maxLength: 30 }), (h, deliveries) => {
        const stored = deliver(h, deliveries);
        if (h.timeline.deleted) expect(stored).toBeUndefined();
        else expect(stored).toEqual(computeTicketMetrics(h.timeline));
      }),
      { numRuns: 100 },
    );
  });

  it('reads a conversation the way a help desk does', () => {
    const at = (m: number) => iso(T0 + m * MINUTE);
    const entry = (m: number, e: Omit<TimelineEntry, 'position' | 'at'>): TimelineEntry => ({ position: m + 1, at: at(m), ...e });
    const { metrics, intervals } = computeTicketMetrics({
      ticketId: 't',
      deleted: false,
      createdAt: at(0),
      status: 'solved',
      customStatusId: null,
      groupId: null,
      assigneeId: 'a',
      channel: 'email',
      priority: 'high',
      calendar: null,
      entries: [
        entry(0, { action: 'ticket.created', actorType: 'system', status: { from: null, to: 'new' } }),
        entry(5, { action: 'ticket.message_added', actorType: 'user', message: { visibility: 'internal', authorType: 'agent' } }),
        entry(30, { action: 'ticket.message_added', actorType: 'user', message: { visibility: 'public', authorType: 'agent' }, status: { from: 'new', to: 'open' } }),
        entry(40, { action: 'ticket.updated', actorType: 'user', status: { from: 'open', to: 'pending' }, customStatusId: { from: null, to: 'waiting-on-parts' } }),
        entry(100, { action: 'ticket.message_added', actorType: 'system', message: { visibility: 'public', authorType: 'contact' }, status: { from: 'pending', to: 'open' } }),
        entry(130, { action: 'ticket.message_added', actorType: 'system', message: { visibility: 'public', authorType: 'contact' } }),
        entry(160, { action: 'ticket.message_added', actorType: 'user', message: { visibility: 'public', authorType: 'agent' } }),
        entry(170, { action: 'ticket.updated', actorType: 'user', status: { from: 'open', to: 'solved' } }),
        entry(200, { action: 'ticket.message_added', actorType: 'system', message: { visibility: 'public', authorType: 'contact' }, status: { from: 'solved', to: 'open' } }),
        entry(230, { action: 'ticket.updated', actorType: 'user', status: { from: 'open', to: 'solved' }, assigneeId: { from: null, to: 'a' } }),
      ],
    });
    expect(metrics).toMatchObject({
      firstReplyMinutes: 30,
      // The requester's second message waited on the same reply; the last one was answered by solving, not by a reply.
      nextReplies: [{ requestedAt: at(100), repliedAt: at(160), minutes: 60, businessMinutes: null }],
      firstSolvedAt: at(170),
      solvedAt: at(230),
      fullResolutionMinutes: 230,
      publicReplies: 2,
      internalNotes: 1,
      reopens: 1,
      assigneeChanges: 1,
      agentTouches: 6,
    });
    expect(intervals.map((i) => [i.status, i.customStatusId, i.minutes])).toEqual([
      ['new', null, 30],
      ['open', null, 10],
      ['pending', 'waiting-on-parts', 60],
      ['open', null, 70],
      ['solved', null, 30],
      ['open', null, 30],
      ['solved', null, null],
    ]);
  });
});
