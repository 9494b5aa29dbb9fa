import fc from 'fast-check';
import { isOpenAt, prepareCalendar, type PreparedCalendar } from './business-calendar';
import { evaluateSla, type ClockPolicy, type TimelineEntry } from './sla-clock';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-07T08:00:00Z'); // a Monday, 09:00 in Berlin
const at = (minutes: number) => T0 + minutes * MINUTE;
const PAUSE = ['pending', 'on_hold'];

/**
 * The model, minute by minute: resolution counts a minute when the ticket is not solved or
 * paused (and the calendar is open); it is breached at the minute its count reaches the target;
 * fulfilled at the last solve if the ticket is solved now. First reply likewise until the first
 * agent reply (or a solve).
 */
function model(timeline: TimelineEntry[], policy: ClockPolicy, now: number, metric: 'resolution' | 'first_reply') {
  const target = policy.targets[metric]!;
  let status = '';
  let counted = 0;
  let breachedAt: number | null = null;
  let stoppedAt: number | null = null;
  const events = [...timeline].sort((a, b) => a.at - b.at);
  let i = 0;
  for (let t = events[0]!.at; t < now; t += MINUTE) {
    while (i < events.length && events[i]!.at <= t) {
      const e = events[i++]!;
      if (e.kind !== 'reply') {
        const wasClosing = status === 'solved' || status === 'closed';
        status = e.status;
        const closing = status === 'solved' || status === 'closed';
        if (metric === 'resolution' && closing && !wasClosing) stoppedAt = e.at;
        if (metric === 'resolution' && !closing) stoppedAt = null;
        if (metric === 'first_reply' && stoppedAt === null && (status === 'solved' || status === 'closed')) stoppedAt = e.at;
      } else if (metric === 'first_reply' && e.by === 'agent' && stoppedAt === null) stoppedAt = e.at;
    }
    const stopped = stoppedAt !== null;
    if (stopped || PAUSE.includes(status)) continue;
    if (policy.calendar && !isOpenAt(policy.calendar, t)) continue;
    counted++;
    if (breachedAt === null && counted === target) breachedAt = t + MINUTE;
  }
  return { elapsed: counted, breachedAt, fulfilledAt: stoppedAt };
}

const berlinOffice = (): PreparedCalendar =>
  prepareCalendar({ timeZone: 'Europe/Berlin', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }]])), holidays: [] });

/** Random timelines: created at 0, then status changes and replies at distinct minutes over three days. */
const timeline: fc.Arbitrary<TimelineEntry[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: 3 * 1440 }), { maxLength: 12 })
  .chain((minutes) =>
    fc.tuple(
      ...minutes.map((m) =>
        fc.oneof(
          fc.constantFrom('open', 'pending', 'on_hold', 'solved').map((status): TimelineEntry => ({ at: at(m), kind: 'status', status })),
          fc.constantFrom('agent' as const, 'requester' as const).map((by): TimelineEntry => ({ at: at(m), kind: 'reply', by })),
        ),
      ),
    ),
  )
  .map((rest) => [{ at: at(0), kind: 'created', status: 'new' } as TimelineEntry, ...rest]);

describe('SLA clocks', () => {
  it.each([
    ['calendar time', null],
    ['business time', 'berlin'],
  ] as const)('count resolution and first reply like the minute-by-minute model (%s)', (_, kind) => {
    const calendar = kind ? berlinOffice() : null;
    fc.assert(
      fc.property(timeline, fc.integer({ min: 30, max: 600 }), fc.integer({ min: 30, max: 600 }), (entries, resolution, firstReply) => {
        const policy: ClockPolicy = { targets: { resolution, first_reply: firstReply }, pauseStatuses: PAUSE, calendar };
        const now = at(3 * 1440 + 60);
        const result = evaluateSla(entries, policy, now);
        for (const metric of ['resolution', 'first_reply'] as const) {
          const expected = model(entries, policy, now, metric);
          const got = result.targets.find((t) => t.metric === metric)!;
          expect([metric, Math.round(got.elapsed), got.breachedAt, got.fulfilledAt]).toEqual([metric, expected.elapsed, expected.breachedAt, expected.fulfilledAt]);
        }
      }),
      { numRuns: kind ? 25 : 120 },
    );
  });

  it('pauses on pending, resumes on open, and explains it in metric events', () => {
    const entries: TimelineEntry[] = [
      { at: at(0), kind: 'created', status: 'new' },
      { at: at(10), kind: 'reply', by: 'agent' },
      { at: at(10), kind: 'status', status: 'pending' },
      { at: at(70), kind: 'reply', by: 'requester' },
      { at: at(70), kind: 'status', status: 'open' },
    ];
    const { targets, events } = evaluateSla(entries, { targets: { resolution: 120, first_reply: 30, next_reply: 60 }, pauseStatuses: PAUSE, calendar: null }, at(100));
    const resolution = targets.find((t) => t.metric === 'resolution')!;
    expect(resolution).toMatchObject({ state: 'active', elapsed: 40, paused: [[at(10), at(70)]], deadline: at(180) });
    expect(targets.find((t) => t.metric === 'first_reply')).toMatchObject({ state: 'fulfilled', fulfilledAt: at(10), elapsed: 10 });
    expect(targets.find((t) => t.metric === 'next_reply')).toMatchObject({ state: 'active', startedAt: at(70), deadline: at(130) });
    expect(events.filter((e) => e.metric === 'resolution').map((e) => e.type)).toEqual(['activated', 'paused', 'resumed']);
  });

  it('stops at solve, resumes on reopen, and breaches exactly when the counted minutes reach the target', () => {
    const entries: TimelineEntry[] = [
      { at: at(0), kind: 'created', status: 'new' },
      { at: at(50), kind: 'status', status: 'solved' },
      { at: at(500), kind: 'status', status: 'open' },
    ];
    const { targets, events, nextBreachAt } = evaluateSla(entries, { targets: { resolution: 60 }, pauseStatuses: PAUSE, calendar: null }, at(600));
    expect(targets[0]).toMatchObject({ state: 'breached', breachedAt: at(510), elapsed: 150 });
    expect(events.map((e) => [e.type, (e.at - T0) / MINUTE])).toEqual([
      ['activated', 0],
      ['fulfilled', 50],
      ['resumed', 500],
      ['breached', 510],
    ]);
    expect(nextBreachAt).toBeNull();
  });

  it('counts business minutes only: a ticket created Friday evening is due Monday', () => {
    const friday = Date.parse('2026-12-11T16:30:00Z'); // 17:30 Berlin, after hours
    const { targets, nextBreachAt } = evaluateSla([{ at: friday, kind: 'created', status: 'new' }], { targets: { first_reply: 60 }, pauseStatuses: PAUSE, calendar: berlinOffice() }, friday + 3600_000);
    expect(targets[0]).toMatchObject({ state: 'active', elapsed: 0 });
    expect(new Date(nextBreachAt!).toISOString()).toBe('2026-12-14T09:00:00.000Z'); // Monday 10:00 Berlin
  });
});
