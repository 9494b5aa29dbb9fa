import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Job, RepeatOptions } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { Metrics, withinMs } from '../observability/metrics';
import { QueueRegistry } from '../queues/queue-registry.service';
import { WorkerRunner } from '../queues/worker-runner';
import { ContextRegistry } from '../registry/context-registry';
import { describeTiming, type AnyScheduleDefinition, type ScheduleTiming } from '../registry/schedules';
import { ScheduledRuns, scheduledRunOf, type ScheduleStatusRow } from './scheduled-runs';

/** How long /health and a scrape wait for Redis or the database before leaving a value out. */
const STATUS_TIMEOUT_MS = 1_000;
/**
 * How often a worker upserts its queues' schedulers again: a Redis that lost its contents (no AOF,
 * a flush) gets them back without a restart. Upserting an unchanged scheduler keeps its next job,
 * so this is cheap; it bounds how long a frequent schedule (the due-messages sweep) stays lost.
 */
export const RESYNC_MS = 30_000;

/** A schedule as the worker's /health shows it. */
export interface ScheduleStatus {
  id: string;
  queue: string;
  job: string;
  description: string;
  /** As registered, or as SCHEDULE_OVERRIDES re-timed it; null when switched off here. */
  timing: string | null;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastPeriodStart: string | null;
  lastDurationMs: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export type ScheduledOutcome = 'completed' | 'skipped';

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/**
 * The worker's side of the contexts' schedules (ADR 0016). At boot, and every RESYNC_MS after, a
 * worker that consumes a queue upserts that queue's schedulers in Redis (idempotent across
 * processes: the next job keeps its id) and removes the ones no longer registered or switched off. Each scheduled job runs through
 * `run`: a period that already has its receipt is skipped, a completed one gets its receipt and
 * the schedule's status, a failure is recorded for /health and /metrics and rethrown for BullMQ
 * to retry.
 */
@Injectable()
export class JobScheduler implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobScheduler.name);
  private readonly runs: Counter<'schedule' | 'outcome'>;
  private readonly started = new Set<string>();
  private resync: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: ContextRegistry,
    private readonly queues: QueueRegistry,
    private readonly runner: WorkerRunner,
    private readonly receipts: ScheduledRuns,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.runs = new Counter({
      name: 'schedule_runs_total',
      help: 'Scheduled jobs this worker ran, by schedule and outcome (skipped: the period had already completed)',
      labelNames: ['schedule', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    for (const queue of this.registry.queueNames) this.runner.registerService({ queue, start: () => this.start(queue) });
    this.registerGauges();
  }

  beforeApplicationShutdown(): void {
    if (this.resync) clearInterval(this.resync);
  }

  private async start(queue: string): Promise<void> {
    await this.sync(queue);
    this.started.add(queue);
    this.resync ??= setInterval(() => void this.syncStarted(), RESYNC_MS).unref();
  }

  private async syncStarted(): Promise<void> {
    for (const queue of this.started) {
      await this.sync(queue).catch((error: unknown) => this.logger.warn({ err: error, queue }, 'Could not re-sync the job schedulers; next try in a few minutes'));
    }
  }

  /** The timing in this deployment: the registered one, SCHEDULE_OVERRIDES', or null when switched off. */
  timing(schedule: AnyScheduleDefinition): ScheduleTiming | null {
    const override = this.config.SCHEDULE_OVERRIDES[schedule.id];
    if (override === 'off') return null;
    return (override as ScheduleTiming | undefined) ?? schedule.timing;
  }

  /** Makes Redis hold exactly the enabled schedules of `queue`. */
  async sync(queue: string): Promise<void> {
    const wanted = this.registry.schedules.filter((s) => s.job.queue === queue);
    const q = this.queues.get(queue);
    const kept = new Set<string>();
    for (const schedule of wanted) {
      const timing = this.timing(schedule);
      if (!timing) continue;
      await q.upsertJobScheduler(schedule.id, repeatOptions(timing), { name: schedule.job.name, data: schedule.payload });
      kept.add(schedule.id);
    }
    for (const existing of await q.getJobSchedulers()) {
      if (kept.has(existing.key)) continue;
      await q.removeJobScheduler(existing.key);
      this.logger.log({ queue, schedule: existing.key }, 'Removed a job scheduler that is no longer registered or is switched off');
    }
    if (kept.size > 0) this.logger.debug({ queue, schedules: [...kept] }, 'Job schedulers in place');
  }

  /** Runs one job; for a scheduler's job, at most once per completed period (see the class comment). */
  async run(job: Job, work: () => Promise<void>): Promise<ScheduledOutcome> {
    const run = scheduledRunOf(job);
    if (!run) {
      await work();
      return 'completed';
    }
    if (await this.receipts.completed(run)) {
      this.runs.inc({ schedule: run.scheduleId, outcome: 'skipped' });
      this.logger.log({ schedule: run.scheduleId, period: run.periodStart.toISOString(), jobId: job.id }, 'Period already completed; skipped');
      return 'skipped';
    }
    const started = Date.now();
    try {
      await work();
    } catch (error) {
      this.runs.inc({ schedule: run.scheduleId, outcome: 'failed' });
      await this.receipts.failed(run, error).catch((e: unknown) => this.logger.warn({ err: e }, 'Could not record a failed scheduled run'));
      throw error;
    }
    await this.receipts.succeeded(run, Date.now() - started);
    this.runs.inc({ schedule: run.scheduleId, outcome: 'completed' });
    return 'completed';
  }

  /** Every registered schedule with its next and last run; values Redis or the database could not give in time are null. */
  async status(): Promise<ScheduleStatus[]> {
    const schedules = this.registry.schedules;
    const [statuses, next] = await Promise.all([withinMs(this.receipts.statuses(), STATUS_TIMEOUT_MS), this.nextRuns(schedules)]);
    return schedules.map((schedule) => {
      const row: Partial<ScheduleStatusRow> = statuses?.get(schedule.id) ?? {};
      const timing = this.timing(schedule);
      return {
        id: schedule.id,
        queue: schedule.job.queue,
        job: schedule.job.name,
        description: schedule.description,
        timing: timing ? describeTiming(timing) : null,
        nextRunAt: timing ? iso(next.get(schedule.id)) : null,
        lastRunAt: iso(row.last_run_at),
        lastPeriodStart: iso(row.last_period_start),
        lastDurationMs: row.last_duration_ms ?? null,
        lastError: row.last_error ?? null,
        lastErrorAt: iso(row.last_error_at),
      };
    });
  }

  private async nextRuns(schedules: readonly AnyScheduleDefinition[]): Promise<Map<string, Date>> {
    const next = new Map<string, Date>();
    await Promise.all(
      schedules.map(async (schedule) => {
        const scheduler = await withinMs(this.queues.get(schedule.job.queue).getJobScheduler(schedule.id), STATUS_TIMEOUT_MS);
        if (scheduler?.next) next.set(schedule.id, new Date(scheduler.next));
      }),
    );
    return next;
  }

  private registerGauges(): void {
    // Read from Redis and the database at scrape time, so every worker reports the same values;
    // the three gauges of one scrape share one read.
    let read: { at: number; statuses: Promise<ScheduleStatus[]> } | null = null;
    const status = () => {
      if (!read || Date.now() - read.at > STATUS_TIMEOUT_MS) read = { at: Date.now(), statuses: this.status() };
      return read.statuses;
    };
    const seconds = (value: string | null) => (value ? Date.parse(value) / 1000 : null);
    const gauge = (name: string, help: string, pick: (s: ScheduleStatus) => string | null) =>
      new Gauge({
        name,
        help,
        labelNames: ['schedule'] as const,
        registers: [this.metrics.registry],
        async collect() {
          this.reset();
          for (const s of await status()) {
            const value = seconds(pick(s));
            if (value !== null) this.set({ schedule: s.id }, value);
          }
        },
      });
    gauge('schedule_next_run_timestamp_seconds', 'When each schedule fires next (Unix time)', (s) => s.nextRunAt);
    gauge('schedule_last_run_timestamp_seconds', 'When each schedule last completed a run (Unix time)', (s) => s.lastRunAt);
    gauge('schedule_last_failure_timestamp_seconds', 'When a run of each schedule last failed (Unix time)', (s) => s.lastErrorAt);
  }
}

function repeatOptions(timing: ScheduleTiming): Omit<RepeatOptions, 'key'> {
  return 'every' in timing ? { every: timing.every } : { pattern: timing.pattern, tz: timing.tz };
}
