import type { MetricEvent, SlaEvaluation, SlaMetric, TargetState } from './sla-clock';

/**
 * What the SLA engine stores for a ticket (ADR 0045), pure: from the clock's evaluation under the
 * policy that applies now (and a second one whose targets are shortened by the policy's warning
 * minutes: its breach instants are the warning instants, in the same business or calendar time),
 * and what was stored before, the targets' rows with their deadline versions, the ticket's
 * `slaBreachAt` / state, the metric events to record, and the timers to (re)arm.
 */

export type StoredTargetState = 'active' | 'paused' | 'fulfilled' | 'breached';
export type TicketSlaState = 'active' | 'paused' | 'breached';
export const SLA_STATE_FILTERS = ['active', 'at_risk', 'breached', 'paused', 'none'] as const;
export type SlaStateFilter = (typeof SLA_STATE_FILTERS)[number];

export interface StoredTarget {
  metric: SlaMetric;
  policyId: string;
  policyVersion: number;
  state: StoredTargetState;
  startedAt: number;
  deadline: number | null;
  warningAt: number | null;
  deadlineVersion: number;
  warnedDeadline: number | null;
}

export interface PlannedTarget extends Omit<StoredTarget, 'warnedDeadline'> {
  targetMinutes: number;
  /** Whether the row differs from the stored one (written only then). */
  changed: boolean;
}

export interface RecordedMetricEvent {
  metric: SlaMetric;
  kind: MetricEvent['type'] | 'policy_changed';
  at: number;
  elapsed: number;
  /** On `fulfilled` (not stored: the engine's event about it carries them). */
  cycleStartedAt?: number;
  breached?: boolean;
}

export interface SlaTimer {
  metric: SlaMetric;
  kind: 'warning' | 'breach';
  at: number;
  version: number;
}

export interface SlaPlan {
  targets: PlannedTarget[];
  /** Stored targets the applicable policy no longer has (their rows go, their timers are stale). */
  removed: SlaMetric[];
  ticket: { breachAt: number | null; warningAt: number | null; state: TicketSlaState | null };
  events: RecordedMetricEvent[];
  /** Timers of targets whose deadline version changed and that still run (the breach, and the warning if not given yet). */
  timers: SlaTimer[];
}

export interface PlanInput {
  /** The policy that applies now and its evaluation; null when none applies (or it has no targets for the priority). */
  policy: { id: string; version: number } | null;
  evaluation: SlaEvaluation | null;
  /** The evaluation with each target shortened by the policy's warning minutes; null without warnings. */
  warnings: SlaEvaluation | null;
  stored: readonly StoredTarget[];
  now: number;
}

const running = (t: TargetState) => t.fulfilledAt === null && !(t.paused.length > 0 && t.paused[t.paused.length - 1]![1] === null);
const storedState = (t: TargetState): StoredTargetState => (t.fulfilledAt !== null ? 'fulfilled' : t.breachedAt !== null ? 'breached' : running(t) ? 'active' : 'paused');

/** The warning instant of a running target: when its counted minutes reach target − warning (past or future), in the policy's time. */
function warningInstant(w: TargetState | undefined): number | null {
  if (!w || !running(w)) return null;
  return w.breachedAt ?? w.deadline;
}

export function planSla({ policy, evaluation, warnings, stored, now }: PlanInput): SlaPlan {
  const before = new Map(stored.map((s) => [s.metric, s]));
  const targets: PlannedTarget[] = [];
  const timers: SlaTimer[] = [];
  const events: RecordedMetricEvent[] = [];
  let breachAt: number | null = null;
  let warningAt: number | null = null;
  let anyBreached = false;
  let anyRunning = false;
  let anyPaused = false;
  if (policy && evaluation) {
    const warned = new Map((warnings?.targets ?? []).map((t) => [t.metric, t]));
    for (const t of evaluation.targets) {
      const state = storedState(t);
      const isRunning = running(t);
      const deadline = t.fulfilledAt !== null ? null : t.deadline;
      const warning = state === 'active' ? warningInstant(warned.get(t.metric)) : null;
      const old = before.get(t.metric);
      const same =
        old !== undefined &&
        old.policyId === policy.id &&
        old.policyVersion === policy.version &&
        old.state === state &&
        old.deadline === deadline &&
        old.warningAt === warning &&
        old.startedAt === t.startedAt;
      const deadlineVersion = old === undefined ? 1 : same ? old.deadlineVersion : old.deadlineVersion + 1;
      targets.push({ metric: t.metric, policyId: policy.id, policyVersion: policy.version, targetMinutes: t.targetMinutes, state, startedAt: t.startedAt, deadline, warningAt: warning, deadlineVersion, changed: !same });
      if (old && (old.policyId !== policy.id || old.policyVersion !== policy.version)) events.push({ metric: t.metric, kind: 'policy_changed', at: now, elapsed: t.elapsed });
      if (state === 'breached') anyBreached = true;
      if (isRunning && deadline !== null) {
        anyRunning = true;
        breachAt = breachAt === null ? deadline : Math.min(breachAt, deadline);
      } else if (state === 'paused') anyPaused = true;
      if (state === 'active' && warning !== null) warningAt = warningAt === null ? warning : Math.min(warningAt, warning);
      if (!same && state === 'active' && deadline !== null) {
        timers.push({ metric: t.metric, kind: 'breach', at: deadline, version: deadlineVersion });
        if (warning !== null && old?.warnedDeadline !== deadline) timers.push({ metric: t.metric, kind: 'warning', at: warning, version: deadlineVersion });
      }
    }
    for (const e of evaluation.events) events.push({ metric: e.metric, kind: e.type, at: e.at, elapsed: e.elapsed, ...(e.type === 'fulfilled' ? { cycleStartedAt: e.cycleStartedAt, breached: e.breached } : {}) });
  }
  const kept = new Set(targets.map((t) => t.metric));
  return {
    targets,
    removed: stored.filter((s) => !kept.has(s.metric)).map((s) => s.metric),
    ticket: { breachAt, warningAt, state: anyBreached ? 'breached' : anyRunning ? 'active' : anyPaused ? 'paused' : null },
    events,
    timers,
  };
}

/** The warning evaluation's targets: each shortened by the warning minutes (0 at least: warn when the clock starts). */
export function warningTargets<T extends Partial<Record<SlaMetric, number>>>(targets: T, warningMinutes: number): T {
  return Object.fromEntries(Object.entries(targets).map(([m, v]) => [m, Math.max(0, (v as number) - warningMinutes)])) as T;
}

/** Whether a fired timer still stands: same deadline version, the target still running, and its instant reached. */
export function timerDecision(stored: Pick<StoredTarget, 'state' | 'deadline' | 'warningAt' | 'deadlineVersion' | 'warnedDeadline'> | undefined, timer: Pick<SlaTimer, 'kind' | 'version'>, now: number): 'stale' | 'early' | 'fire' {
  if (!stored || stored.deadlineVersion !== timer.version || stored.state !== 'active' || stored.deadline === null) return 'stale';
  if (timer.kind === 'warning') {
    if (stored.warningAt === null || stored.warnedDeadline === stored.deadline || stored.deadline <= now) return 'stale';
    return stored.warningAt > now ? 'early' : 'fire';
  }
  return stored.deadline > now ? 'early' : 'fire';
}
