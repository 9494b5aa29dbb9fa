import { getNextMillis } from 'bullmq';
import type { JobDefinition } from './context';

/** When a schedule fires: a cron pattern (5 fields, or 6 with seconds) in a time zone, or a fixed interval. */
export type ScheduleTiming = { readonly pattern: string; readonly tz: string } | { readonly every: number };

/**
 * Recurring work a context declares beside its jobs: the worker that consumes the job's queue keeps a
 * BullMQ job scheduler under `id` in Redis, and each firing is one job of `job` with `payload`.
 * A period's job runs once (its id is the scheduler's id and the fire time), and a period that
 * completed is never run again (ADR 0016).
 */
export interface ScheduleDefinition<P = unknown> {
  /** `<context>.<name>`; also the BullMQ scheduler id and the `schedule` label in /metrics. */
  readonly id: string;
  readonly job: JobDefinition<P>;
  readonly timing: ScheduleTiming;
  readonly payload: P;
  /** One line for operators (`/health`). */
  readonly description: string;
}

export type AnyScheduleDefinition = ScheduleDefinition<any>;

/** The smallest interval a schedule may have; shorter ones belong in a polling loop, not in Redis. */
export const MIN_SCHEDULE_EVERY_MS = 1_000;
const SCHEDULE_ID = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/** What is wrong with a timing, or null: patterns and time zones are checked by computing a next run. */
export function timingProblem(timing: ScheduleTiming): string | null {
  if ('every' in timing) {
    return Number.isInteger(timing.every) && timing.every >= MIN_SCHEDULE_EVERY_MS ? null : `every must be a whole number of milliseconds ≥ ${MIN_SCHEDULE_EVERY_MS}`;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: timing.tz });
  } catch {
    return `unknown time zone "${timing.tz}"`;
  }
  try {
    const next = getNextMillis(Date.now(), { pattern: timing.pattern, tz: timing.tz });
    return typeof next === 'number' ? null : `cron pattern "${timing.pattern}" never fires`;
  } catch (error) {
    return `invalid cron pattern "${timing.pattern}": ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * `defineSchedule({ id: 'reporting.nightly-rollup', job: RollupDay, pattern: '5 0 * * *', tz: 'UTC', payload: {}, description: '…' })`,
 * listed in the context's `schedules` next to `job` in its `jobs`.
 */
export function defineSchedule<P>(
  options: { id: string; job: JobDefinition<P>; description: string } & ({ pattern: string; tz?: string; every?: never } | { every: number; pattern?: never; tz?: never }) &
    ([P] extends [Record<string, never>] ? { payload?: P } : { payload: P }),
): ScheduleDefinition<P> {
  if (!SCHEDULE_ID.test(options.id)) throw new Error(`Schedule id "${options.id}" must look like <context>.<name> (lower case, digits, -)`);
  // Cron without a zone would follow the host's; UTC unless the schedule says otherwise.
  const timing: ScheduleTiming = options.every !== undefined ? { every: options.every } : { pattern: options.pattern!, tz: options.tz ?? 'UTC' };
  const problem = timingProblem(timing);
  if (problem) throw new Error(`Schedule ${options.id}: ${problem}`);
  return { id: options.id, job: options.job, timing, payload: (options.payload ?? {}) as P, description: options.description };
}

/** A timing as operators read it (`/health`): `every 60000 ms` or `17 3 * * * (UTC)`. */
export function describeTiming(timing: ScheduleTiming): string {
  return 'every' in timing ? `every ${timing.every} ms` : `${timing.pattern} (${timing.tz})`;
}
