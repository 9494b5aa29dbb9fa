import { jest } from '@jest/globals';
import type { Job } from 'bullmq';
import { Registry } from 'prom-client';
import type { AppConfig } from '../config/config.schema';
import type { Metrics } from '../observability/metrics';
import { platformContext } from '../platform.context';
import type { QueueRegistry } from '../queues/queue-registry.service';
import type { BackgroundService, WorkerRunner } from '../queues/worker-runner';
import { defineContext, defineJob, type QueueDefinition } from '../registry/context';
import { ContextRegistry } from '../registry/context-registry';
import { defineSchedule } from '../registry/schedules';
import { JobScheduler, RESYNC_MS } from './job-scheduler';
import type { ScheduledRun, ScheduledRuns, ScheduleStatusRow } from './scheduled-runs';
import { scheduledRunOf } from './scheduled-runs';

const ReportsQueue: QueueDefinition = { name: 'reports', description: 'test' };
const RollupDay = defineJob<{ scope: string }>()(ReportsQueue, 'reports.rollup-day');
const Nightly = defineSchedule({ id: 'reports.nightly', job: RollupDay, pattern: '5 0 * * *', payload: { scope: 'all' }, description: 'Daily rollups' });
const Hourly = defineSchedule({ id: 'reports.hourly', job: RollupDay, pattern: '0 * * * *', payload: { scope: 'recent' }, description: 'Hourly rollups' });
const reports = defineContext({ name: 'reports', queues: [ReportsQueue], jobs: [RollupDay], schedules: [Nightly, Hourly] });

const NEXT = Date.parse('2026-12-07T00:05:00Z');

/** The part of a BullMQ queue the scheduler uses, in memory. */
class FakeQueue {
  readonly schedulers = new Map<string, { repeat: object; template: object }>();
  async upsertJobScheduler(id: string, repeat: object, template: object) {
    this.schedulers.set(id, { repeat, template });
  }
  async getJobSchedulers() {
    return [...this.schedulers.keys()].map((key) => ({ key, name: key, next: NEXT }));
  }
  async removeJobScheduler(id: string) {
    return this.schedulers.delete(id);
  }
  async getJobScheduler(id: string) {
    return this.schedulers.has(id) ? { key: id, name: id, next: NEXT } : undefined;
  }
}

/** Receipts and statuses in memory, as the tables hold them. */
class FakeRuns {
  readonly receipts = new Set<string>();
  readonly rows = new Map<string, ScheduleStatusRow>();
  private key = (run: ScheduledRun) => `${run.scheduleId}@${run.periodStart.toISOString()}`;
  async completed(run: ScheduledRun) {
    return this.receipts.has(this.key(run));
  }
  async succeeded(run: ScheduledRun, durationMs: number) {
    this.receipts.add(this.key(run));
    const row = this.row(run.scheduleId);
    Object.assign(row, { last_run_at: new Date(), last_period_start: run.periodStart, last_duration_ms: durationMs });
  }
  async failed(run: ScheduledRun, error: unknown) {
    Object.assign(this.row(run.scheduleId), { last_error: (error as Error).message, last_error_at: new Date() });
  }
  async statuses() {
    return this.rows;
  }
  private row(id: string): ScheduleStatusRow {
    const row = this.rows.get(id) ?? { schedule_id: id, last_run_at: null, last_period_start: null, last_duration_ms: null, last_error: null, last_error_at: null };
    this.rows.set(id, row);
    return row;
  }
}

function setup(overrides: AppConfig['SCHEDULE_OVERRIDES'] = {}) {
  const queues = { reports: new FakeQueue(), platform: new FakeQueue(), outbox: new FakeQueue(), realtime: new FakeQueue() };
  const services: BackgroundService[] = [];
  const runs = new FakeRuns();
  const metrics = { registry: new Registry() } as unknown as Metrics;
  const scheduler = new JobScheduler(
    new ContextRegistry([platformContext, reports]),
    { get: (name: keyof typeof queues) => queues[name] } as unknown as QueueRegistry,
    { registerService: (s: BackgroundService) => services.push(s) } as unknown as WorkerRunner,
    runs as unknown as ScheduledRuns,
    metrics,
    { SCHEDULE_OVERRIDES: overrides } as AppConfig,
  );
  scheduler.onModuleInit();
  return { scheduler, queues, services, runs, metrics };
}

const jobOf = (scheduleId: string, at: number) => ({ id: `repeat:${scheduleId}:${at}`, repeatJobKey: scheduleId, name: 'reports.rollup-day' }) as Job;

describe('JobScheduler', () => {
  it('keeps in Redis exactly the enabled schedules of each queue a worker starts', async () => {
    const { services, queues } = setup({ 'reports.hourly': 'off' });
    queues.reports.schedulers.set('reports.hourly', { repeat: {}, template: {} });
    queues.reports.schedulers.set('reports.retired', { repeat: {}, template: {} });
    expect(services.map((s) => s.queue).sort()).toEqual(['outbox', 'platform', 'realtime', 'reports']);
    await services.find((s) => s.queue === 'reports')!.start();
    expect([...queues.reports.schedulers]).toEqual([
      ['reports.nightly', { repeat: { pattern: '5 0 * * *', tz: 'UTC' }, template: { name: 'reports.rollup-day', data: { scope: 'all' } } }],
    ]);
    // Another queue's schedules belong to the workers that consume it.
    expect(queues.platform.schedulers.size).toBe(0);
    await services.find((s) => s.queue === 'platform')!.start();
    expect(queues.platform.schedulers.get('platform.retention')).toMatchObject({ repeat: { pattern: '17 3 * * *', tz: 'UTC' } });
  });

  it('puts schedulers back that Redis lost, without a restart', async () => {
    jest.useFakeTimers();
    try {
      const { scheduler, services, queues } = setup();
      await services.find((s) => s.queue === 'reports')!.start();
      queues.reports.schedulers.clear();
      await jest.advanceTimersByTimeAsync(RESYNC_MS);
      expect([...queues.reports.schedulers.keys()]).toEqual(['reports.nightly', 'reports.hourly']);
      // Only the queues this worker started are its business.
      expect(queues.platform.schedulers.size).toBe(0);
      scheduler.beforeApplicationShutdown();
      queues.reports.schedulers.clear();
      await jest.advanceTimersByTimeAsync(RESYNC_MS);
      expect(queues.reports.schedulers.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('re-times a schedule from SCHEDULE_OVERRIDES', async () => {
    const { scheduler, queues } = setup({ 'reports.nightly': { every: 2_000 } });
    await scheduler.sync('reports');
    expect(queues.reports.schedulers.get('reports.nightly')!.repeat).toEqual({ every: 2_000 });
  });

  it('runs a period once: a second delivery of a completed period is skipped', async () => {
    const { scheduler, metrics } = setup();
    const work = jest.fn(async () => undefined);
    const period = Date.parse('2026-12-06T00:05:00Z');
    expect(await scheduler.run(jobOf('reports.nightly', period), work)).toBe('completed');
    expect(await scheduler.run(jobOf('reports.nightly', period), work)).toBe('skipped');
    expect(work).toHaveBeenCalledTimes(1);
    expect(await scheduler.run(jobOf('reports.nightly', period + 86_400_000), work)).toBe('completed');
    expect(work).toHaveBeenCalledTimes(2);
    const text = await metrics.registry.metrics();
    expect(text).toContain('schedule_runs_total{schedule="reports.nightly",outcome="completed"} 2');
    expect(text).toContain('schedule_runs_total{schedule="reports.nightly",outcome="skipped"} 1');
  });

  it('records a failed run without its receipt, so BullMQ’s retry of the period runs again', async () => {
    const { scheduler, runs } = setup();
    const period = Date.parse('2026-12-06T00:05:00Z');
    await expect(scheduler.run(jobOf('reports.nightly', period), async () => Promise.reject(new Error('database on fire')))).rejects.toThrow('database on fire');
    expect(runs.rows.get('reports.nightly')).toMatchObject({ last_error: 'database on fire', last_run_at: null });
    const retry = jest.fn(async () => undefined);
    expect(await scheduler.run(jobOf('reports.nightly', period), retry)).toBe('completed');
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('runs jobs that no scheduler produced every time, without receipts', async () => {
    const { scheduler, runs } = setup();
    const work = jest.fn(async () => undefined);
    const byHand = { id: '42', name: 'reports.rollup-day' } as Job;
    await scheduler.run(byHand, work);
    await scheduler.run(byHand, work);
    expect(work).toHaveBeenCalledTimes(2);
    expect(runs.receipts.size).toBe(0);
  });

  it('reports each schedule’s next run, last run and last error on /health and /metrics', async () => {
    const { scheduler, metrics } = setup({ 'reports.hourly': 'off' });
    await scheduler.sync('reports');
    await scheduler.run(jobOf('reports.nightly', Date.parse('2026-12-06T00:05:00Z')), async () => undefined);
    await expect(scheduler.run(jobOf('reports.nightly', Date.parse('2026-12-07T00:05:00Z')), async () => Promise.reject(new Error('boom')))).rejects.toThrow();
    const status = await scheduler.status();
    expect(status.map((s) => s.id)).toEqual(['platform.retention', 'reports.nightly', 'reports.hourly']);
    expect(status[1]).toMatchObject({
      queue: 'reports',
      job: 'reports.rollup-day',
      timing: '5 0 * * * (UTC)',
      nextRunAt: '2026-12-07T00:05:00.000Z',
      lastPeriodStart: '2026-12-06T00:05:00.000Z',
      lastError: 'boom',
    });
    expect(status[1]!.lastRunAt).not.toBeNull();
    expect(status[1]!.lastErrorAt).not.toBeNull();
    expect(status[2]).toMatchObject({ timing: null, nextRunAt: null, lastRunAt: null });
    const text = await metrics.registry.metrics();
    expect(text).toContain(`schedule_next_run_timestamp_seconds{schedule="reports.nightly"} ${NEXT / 1000}`);
    expect(text).toMatch(/^schedule_last_run_timestamp_seconds\{schedule="reports.nightly"\} \d+/m);
    expect(text).toMatch(/^schedule_last_failure_timestamp_seconds\{schedule="reports.nightly"\} \d+/m);
    expect(text).not.toMatch(/schedule="reports.hourly"/);
  });
});

describe('scheduledRunOf', () => {
  it('reads the schedule and its fire time from the id BullMQ gives a scheduler’s job', () => {
    expect(scheduledRunOf({ id: 'repeat:platform.retention:1796613420000', repeatJobKey: 'platform.retention' })).toEqual({
      scheduleId: 'platform.retention',
      periodStart: new Date(1796613420000),
      jobId: 'repeat:platform.retention:1796613420000',
    });
    expect(scheduledRunOf({ id: '17', repeatJobKey: undefined })).toBeNull();
    expect(scheduledRunOf({ id: 'repeat:other:1', repeatJobKey: 'platform.retention' })).toBeNull();
  });
});
