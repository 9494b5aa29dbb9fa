import { prepareCalendar } from './business-calendar';
import { evaluateSla, type ClockPolicy, type TimelineEntry } from './sla-clock';
import { planSla, timerDecision, warningTargets, type StoredTarget } from './sla-state';

const MIN = 60_000;
const T0 = Date.parse('2026-12-07T08:00:00Z'); // a Monday
const POLICY = { id: 'p1', version: 1 };
const calendarTime: ClockPolicy = { targets: { first_reply: 60, resolution: 240 }, pauseStatuses: ['pending', 'on_hold'], calendar: null };

function plan(timeline: TimelineEntry[], now: number, stored: StoredTarget[] = [], policy: ClockPolicy = calendarTime, warningMinutes: number | null = 15, ref = POLICY) {
  const evaluation = evaluateSla(timeline, policy, now);
  const warnings = warningMinutes ? evaluateSla(timeline, { ...policy, targets: warningTargets(policy.targets, warningMinutes) }, now) : null;
  return planSla({ policy: ref, evaluation, warnings, stored, now });
}
const storedOf = (p: ReturnType<typeof planSla>): StoredTarget[] => p.targets.map(({ targetMinutes: _t, changed: _c, ...t }) => ({ ...t, warnedDeadline: null }));

describe('SLA state plan', () => {
  const created: TimelineEntry = { at: T0, kind: 'created', status: 'new' };

  it('gives each running target a deadline, a warning instant and version 1, and the ticket its earliest deadline', () => {
    const p = plan([created], T0 + 10 * MIN);
    expect(p.targets.map((t) => [t.metric, t.state, t.deadline, t.warningAt, t.deadlineVersion])).toEqual([
      ['first_reply', 'active', T0 + 60 * MIN, T0 + 45 * MIN, 1],
      ['resolution', 'active', T0 + 240 * MIN, T0 + 225 * MIN, 1],
    ]);
    expect(p.ticket).toEqual({ breachAt: T0 + 60 * MIN, warningAt: T0 + 45 * MIN, state: 'active' });
    expect(p.timers).toEqual(expect.arrayContaining([{ metric: 'first_reply', kind: 'breach', at: T0 + 60 * MIN, version: 1 }, { metric: 'first_reply', kind: 'warning', at: T0 + 45 * MIN, version: 1 }]));
    expect(p.events.map((e) => `${e.metric}:${e.kind}`)).toEqual(['first_reply:activated', 'resolution:activated']);
  });

  it('keeps the version (and arms nothing) when nothing moved; a move bumps it and re-arms', () => {
    const first = plan([created], T0 + 10 * MIN);
    const again = plan([created], T0 + 20 * MIN, storedOf(first));
    expect(again.targets.every((t) => !t.changed && t.deadlineVersion === 1)).toBe(true);
    expect(again.timers).toEqual([]);
    // Pending for 30 minutes, then open: both deadlines move 30 minutes later.
    const timeline: TimelineEntry[] = [created, { at: T0 + 20 * MIN, kind: 'status', status: 'pending' }, { at: T0 + 50 * MIN, kind: 'status', status: 'open' }];
    const paused = plan(timeline.slice(0, 2), T0 + 30 * MIN, storedOf(first));
    expect(paused.ticket).toEqual({ breachAt: null, warningAt: null, state: 'paused' });
    expect(paused.targets.map((t) => [t.state, t.deadline, t.deadlineVersion])).toEqual([
      ['paused', null, 2],
      ['paused', null, 2],
    ]);
    expect(paused.timers).toEqual([]);
    const resumed = plan(timeline, T0 + 55 * MIN, storedOf(paused));
    expect(resumed.targets.map((t) => [t.state, t.deadline, t.deadlineVersion])).toEqual([
      ['active', T0 + 90 * MIN, 3],
      ['active', T0 + 270 * MIN, 3],
    ]);
    expect(resumed.timers.filter((t) => t.kind === 'breach').map((t) => t.version)).toEqual([3, 3]);
  });

  it('marks an overdue target breached (with its event), keeps its past deadline as slaBreachAt, and fulfils on reply', () => {
    const late = plan([created], T0 + 61 * MIN);
    expect(late.ticket).toEqual({ breachAt: T0 + 60 * MIN, warningAt: T0 + 225 * MIN, state: 'breached' });
    expect(late.targets[0]).toMatchObject({ metric: 'first_reply', state: 'breached', deadline: T0 + 60 * MIN });
    expect(late.events).toContainEqual({ metric: 'first_reply', kind: 'breached', at: T0 + 60 * MIN, elapsed: 60 });
    expect(late.timers.some((t) => t.metric === 'first_reply')).toBe(false);
    const replied = plan([created, { at: T0 + 70 * MIN, kind: 'reply', by: 'agent' }], T0 + 71 * MIN, storedOf(late));
    expect(replied.targets[0]).toMatchObject({ metric: 'first_reply', state: 'fulfilled', deadline: null });
    expect(replied.ticket.state).toBe('active');
  });

  it('records policy_changed when the applicable policy or its version changes, and drops targets the policy no longer has', () => {
    const first = plan([created], T0 + 10 * MIN);
    const edited = plan([created], T0 + 20 * MIN, storedOf(first), { ...calendarTime, targets: { first_reply: 30 } }, 15, { id: 'p1', version: 2 });
    expect(edited.events.filter((e) => e.kind === 'policy_changed')).toEqual([{ metric: 'first_reply', kind: 'policy_changed', at: T0 + 20 * MIN, elapsed: 20 }]);
    expect(edited.removed).toEqual(['resolution']);
    expect(edited.targets[0]).toMatchObject({ deadline: T0 + 30 * MIN, deadlineVersion: 2, changed: true });
    const none = planSla({ policy: null, evaluation: null, warnings: null, stored: storedOf(first), now: T0 });
    expect(none).toMatchObject({ targets: [], removed: ['first_reply', 'resolution'], ticket: { breachAt: null, state: null } });
  });

  it('puts the warning in business time: never in a closed period', () => {
    // Open 09:00–17:00 UTC on weekdays; created Monday 16:50 with a 60-minute target and a 30-minute warning.
    const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
    const calendar = prepareCalendar({ timeZone: 'UTC', week, holidays: [] });
    const at = Date.parse('2026-12-07T16:50:00Z');
    const p = plan([{ at, kind: 'created', status: 'new' }], at + MIN, [], { targets: { first_reply: 60 }, pauseStatuses: [], calendar }, 30);
    // 10 minutes on Monday, then 20 (warning) and 50 (deadline) minutes into Tuesday's opening.
    expect(new Date(p.targets[0]!.warningAt!).toISOString()).toBe('2026-12-08T09:20:00.000Z');
    expect(new Date(p.targets[0]!.deadline!).toISOString()).toBe('2026-12-08T09:50:00.000Z');
  });

  it('decides a fired timer: stale on another version or a stopped target, early before its instant, fire once due', () => {
    const target = { state: 'active' as const, deadline: T0 + 60 * MIN, warningAt: T0 + 45 * MIN, deadlineVersion: 3, warnedDeadline: null };
    expect(timerDecision(target, { kind: 'breach', version: 2 }, T0 + 61 * MIN)).toBe('stale');
    expect(timerDecision({ ...target, state: 'fulfilled' }, { kind: 'breach', version: 3 }, T0 + 61 * MIN)).toBe('stale');
    expect(timerDecision(undefined, { kind: 'breach', version: 3 }, T0)).toBe('stale');
    expect(timerDecision(target, { kind: 'breach', version: 3 }, T0 + 59 * MIN)).toBe('early');
    expect(timerDecision(target, { kind: 'breach', version: 3 }, T0 + 60 * MIN)).toBe('fire');
    expect(timerDecision(target, { kind: 'warning', version: 3 }, T0 + 44 * MIN)).toBe('early');
    expect(timerDecision(target, { kind: 'warning', version: 3 }, T0 + 46 * MIN)).toBe('fire');
    expect(timerDecision({ ...target, warnedDeadline: target.deadline }, { kind: 'warning', version: 3 }, T0 + 46 * MIN)).toBe('stale');
    expect(timerDecision(target, { kind: 'warning', version: 3 }, T0 + 61 * MIN)).toBe('stale');
  });
});
