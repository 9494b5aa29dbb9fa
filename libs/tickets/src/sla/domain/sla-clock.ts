import { addBusinessMinutes, businessMinutesBetween, type PreparedCalendar } from './business-calendar';

/**
 * SLA clocks, pure: from a ticket's timeline (what happened and when), a policy's targets and a
 * calendar, each target's state — when its clock started, its paused intervals, the business (or
 * calendar) minutes elapsed, its deadline, whether it was fulfilled or breached — and the metric
 * events (activated, paused, resumed, fulfilled, breached) the reporting context reads. Recomputed
 * whole from the timeline, so a priority, group or policy change mid-flight is simply a new input
 * (ADR 0041's calendar semantics apply to business time).
 */

export const SLA_METRICS = ['first_reply', 'next_reply', 'periodic_update', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];
export type SlaTargets = Partial<Record<SlaMetric, number>>;

export type TimelineEntry =
  | { at: number; kind: 'created'; status: string }
  | { at: number; kind: 'status'; status: string }
  | { at: number; kind: 'reply'; by: 'agent' | 'requester' };

export interface ClockPolicy {
  targets: SlaTargets;
  /** Statuses whose time does not count (default: pending and on_hold). */
  pauseStatuses: readonly string[];
  /** Business time on this calendar, or calendar time (every minute counts) when null. */
  calendar: PreparedCalendar | null;
}

export type MetricEventType = 'activated' | 'paused' | 'resumed' | 'fulfilled' | 'breached';
export interface MetricEvent {
  metric: SlaMetric;
  type: MetricEventType;
  at: number;
  /** Minutes counted (business or calendar) by then. */
  elapsed: number;
  /** On `fulfilled`: the cycle's start (a reopened resolution is fulfilled again in the same cycle) and whether its deadline had passed (met late: missed). */
  cycleStartedAt?: number;
  breached?: boolean;
}

export interface TargetState {
  metric: SlaMetric;
  targetMinutes: number;
  state: 'active' | 'paused' | 'fulfilled' | 'breached';
  startedAt: number;
  /** When the target was met (its clock stopped), if it was. */
  fulfilledAt: number | null;
  /** When the counted minutes reached the target: the deadline while running; past once breached. Null while paused. */
  deadline: number | null;
  breachedAt: number | null;
  elapsed: number;
  paused: [number, number | null][];
}

const CLOSING = new Set(['solved', 'closed']);

/** Minutes counted between two instants: business minutes on the calendar, or plain minutes. */
const counted = (policy: ClockPolicy, from: number, to: number) => (policy.calendar ? businessMinutesBetween(policy.calendar, from, to) : Math.max(0, to - from) / 60_000);
const after = (policy: ClockPolicy, from: number, minutes: number) => (policy.calendar ? addBusinessMinutes(policy.calendar, from, minutes) : from + Math.round(minutes * 60_000));

/** One running instance of a target: started, maybe paused and resumed, stopped by fulfilment (or still running at `now`). */
class Cycle {
  elapsed = 0;
  runningSince: number | null;
  paused: [number, number | null][] = [];
  fulfilledAt: number | null = null;
  breachedAt: number | null = null;
  readonly events: MetricEvent[] = [];

  constructor(
    readonly metric: SlaMetric,
    readonly target: number,
    readonly startedAt: number,
    private readonly policy: ClockPolicy,
    pausedAtStart: boolean,
  ) {
    this.events.push({ metric, type: 'activated', at: startedAt, elapsed: 0 });
    this.runningSince = pausedAtStart ? null : startedAt;
    if (pausedAtStart) this.paused.push([startedAt, null]);
  }

  /** Counts the running time up to `t`, recording the breach if the target was reached on the way. */
  private advance(t: number): void {
    if (this.runningSince === null || this.fulfilledAt !== null) return;
    const gained = counted(this.policy, this.runningSince, t);
    if (this.breachedAt === null && this.elapsed + gained >= this.target && this.target >= 0) {
      const at = after(this.policy, this.runningSince, this.target - this.elapsed);
      if (at <= t) {
        this.breachedAt = at;
        this.events.push({ metric: this.metric, type: 'breached', at, elapsed: this.target });
      }
    }
    this.elapsed += gained;
    this.runningSince = t;
  }

  pause(t: number): void {
    if (this.runningSince === null || this.fulfilledAt !== null) return;
    this.advance(t);
    this.runningSince = null;
    this.paused.push([t, null]);
    this.events.push({ metric: this.metric, type: 'paused', at: t, elapsed: this.elapsed });
  }

  resume(t: number): void {
    if (this.runningSince !== null || this.fulfilledAt !== null) return;
    this.paused[this.paused.length - 1]![1] = t;
    this.runningSince = t;
    this.events.push({ metric: this.metric, type: 'resumed', at: t, elapsed: this.elapsed });
  }

  fulfil(t: number): void {
    if (this.fulfilledAt !== null) return;
    this.advance(t);
    if (this.runningSince === null) this.paused[this.paused.length - 1]![1] = t;
    this.runningSince = null;
    this.fulfilledAt = t;
    this.events.push({ metric: this.metric, type: 'fulfilled', at: t, elapsed: this.elapsed, cycleStartedAt: this.startedAt, breached: this.breachedAt !== null });
  }

  /** The state at `now` (the cycle itself is not changed: `now` may move on). */
  stateAt(now: number): TargetState {
    const copy = Object.assign(Object.create(Cycle.prototype) as Cycle, this, { paused: this.paused.map((p) => [...p]), events: [...this.events] });
    copy.advance(now);
    const running = copy.runningSince !== null;
    const deadline = copy.fulfilledAt !== null ? null : copy.breachedAt ?? (running ? after(this.policy, copy.runningSince!, this.target - copy.elapsed) : null);
    return {
      metric: this.metric,
      targetMinutes: this.target,
      state: copy.fulfilledAt !== null ? (copy.breachedAt !== null ? 'breached' : 'fulfilled') : copy.breachedAt !== null ? 'breached' : running ? 'active' : 'paused',
      startedAt: this.startedAt,
      fulfilledAt: copy.fulfilledAt,
      deadline,
      breachedAt: copy.breachedAt,
      elapsed: copy.elapsed,
      paused: copy.paused,
    };
  }

  eventsAt(now: number): MetricEvent[] {
    const copy = Object.assign(Object.create(Cycle.prototype) as Cycle, this, { paused: this.paused.map((p) => [...p]), events: [...this.events] });
    copy.advance(now);
    return copy.events;
  }
}

export interface SlaEvaluation {
  /** The latest cycle of each target the policy has. */
  targets: TargetState[];
  /** Every metric event up to `now`, in time order. */
  events: MetricEvent[];
  /** The earliest deadline still ahead of `now` among running targets (what a ticket's `slaBreachAt` holds). */
  nextBreachAt: number | null;
}

/**
 * Replays the timeline (in time order) under the policy, up to `now`:
 * - first reply starts at creation, met by the first public agent reply;
 * - next reply starts at each requester reply after an agent's, met by the next agent reply;
 * - periodic update starts at each agent reply, met by the next one;
 * - resolution starts at creation, met when the ticket is solved, and resumes if it is reopened;
 * - in a pause status every running clock pauses; solving stops them.
 */
export function evaluateSla(timeline: readonly TimelineEntry[], policy: ClockPolicy, now: number): SlaEvaluation {
  const entries = [...timeline].sort((a, b) => a.at - b.at);
  const cycles: Cycle[] = [];
  const latest = new Map<SlaMetric, Cycle>();
  let status = '';
  const isPaused = () => policy.pauseStatuses.includes(status) || CLOSING.has(status);
  const start = (metric: SlaMetric, at: number) => {
    const target = policy.targets[metric];
    if (target === undefined) return;
    const previous = latest.get(metric);
    if (previous && previous.fulfilledAt === null) return; // one running cycle per target
    const cycle = new Cycle(metric, target, at, policy, isPaused());
    cycles.push(cycle);
    latest.set(metric, cycle);
  };
  const running = (metric: SlaMetric) => {
    const c = latest.get(metric);
    return c && c.fulfilledAt === null ? c : undefined;
  };
  let agentReplied = false;
  for (const e of entries) {
    if (e.at > now) break;
    if (e.kind === 'created') {
      status = e.status;
      start('first_reply', e.at);
      start('resolution', e.at);
      continue;
    }
    if (e.kind === 'status') {
      const wasPaused = isPaused();
      const wasSolved = CLOSING.has(status);
      status = e.status;
      if (CLOSING.has(status)) {
        running('resolution')?.fulfil(e.at);
        for (const m of ['next_reply', 'periodic_update', 'first_reply'] as const) running(m)?.fulfil(e.at);
        continue;
      }
      if (wasSolved) {
        // Reopened: resolution resumes where it stopped ("full resolution time" counts every open stretch); the
        // time it spent solved is a paused interval, and its events read fulfilled … resumed … fulfilled.
        const r = latest.get('resolution');
        if (r && r.fulfilledAt !== null) {
          r.paused.push([r.fulfilledAt, null]);
          r.fulfilledAt = null;
          r.runningSince = null;
          if (!isPaused()) r.resume(e.at);
        }
        continue;
      }
      if (!wasPaused && isPaused()) for (const c of cycles) c.pause(e.at);
      if (wasPaused && !isPaused()) for (const c of cycles) c.resume(e.at);
      continue;
    }
    if (e.by === 'agent') {
      running('first_reply')?.fulfil(e.at);
      running('next_reply')?.fulfil(e.at);
      running('periodic_update')?.fulfil(e.at);
      agentReplied = true;
      start('periodic_update', e.at);
    } else if (agentReplied) {
      start('next_reply', e.at);
    }
  }
  const targets = [...latest.values()].map((c) => c.stateAt(now));
  const events = cycles.flatMap((c) => c.eventsAt(now)).sort((a, b) => a.at - b.at);
  const ahead = targets.filter((t) => t.state === 'active' && t.deadline !== null && t.deadline > now).map((t) => t.deadline!);
  return { targets, events, nextBreachAt: ahead.length > 0 ? Math.min(...ahead) : null };
}
