import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { TenantTransaction } from '../database/tenant-transaction';

/** One firing of a schedule: BullMQ names its job `repeat:<schedule id>:<fire time in ms>`. */
export interface ScheduledRun {
  scheduleId: string;
  /** The fire time the scheduler computed (not when a worker got to it): the same for every delivery of the period. */
  periodStart: Date;
  jobId: string;
}

/** The run a job belongs to, or null for a job that no scheduler produced (enqueued by hand). */
export function scheduledRunOf(job: Pick<Job, 'id' | 'repeatJobKey'>): ScheduledRun | null {
  if (!job.repeatJobKey || !job.id) return null;
  const prefix = `repeat:${job.repeatJobKey}:`;
  if (!job.id.startsWith(prefix)) return null;
  const millis = Number(job.id.slice(prefix.length));
  return Number.isSafeInteger(millis) ? { scheduleId: job.repeatJobKey, periodStart: new Date(millis), jobId: job.id } : null;
}

export interface ScheduleStatusRow {
  schedule_id: string;
  last_run_at: Date | null;
  last_period_start: Date | null;
  last_duration_ms: number | null;
  last_error: string | null;
  last_error_at: Date | null;
}

/** The longest error message kept for /health. */
const ERROR_CHARS = 500;

/**
 * Receipts of completed periods (`scheduled_runs`) and each schedule's last outcome
 * (`schedule_status`); both across tenants, as the owning role.
 */
@Injectable()
export class ScheduledRuns {
  constructor(private readonly tx: TenantTransaction) {}

  async completed(run: ScheduledRun): Promise<boolean> {
    const rows: unknown[] = await this.tx.runAsSystem((m) =>
      m.query(`SELECT 1 FROM scheduled_runs WHERE schedule_id = $1 AND period_start = $2`, [run.scheduleId, run.periodStart]),
    );
    return rows.length > 0;
  }

  /**
   * For an effect that fits in one transaction and must not happen twice even when two deliveries
   * of a period overlap: the period's receipt and the effect commit together, and a period that has
   * its receipt runs nothing. Returns whether the effect ran.
   */
  async once(run: ScheduledRun, effect: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    return this.tx.runAsSystem(async (m) => {
      if (!(await this.insertReceipt(m, run))) return false;
      await effect(m);
      return true;
    });
  }

  /** After a run succeeded: its receipt (unless `once` wrote it already) and the schedule's status. */
  async succeeded(run: ScheduledRun, durationMs: number): Promise<void> {
    await this.tx.runAsSystem(async (m) => {
      await this.insertReceipt(m, run);
      await m.query(
        `INSERT INTO schedule_status (schedule_id, last_run_at, last_period_start, last_duration_ms)
         VALUES ($1, now(), $2, $3)
         ON CONFLICT (schedule_id) DO UPDATE
           SET last_run_at = excluded.last_run_at, last_period_start = excluded.last_period_start,
               last_duration_ms = excluded.last_duration_ms, updated_at = now()`,
        [run.scheduleId, run.periodStart, durationMs],
      );
    });
  }

  async failed(run: ScheduledRun, error: unknown): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, ERROR_CHARS);
    await this.tx.runAsSystem((m) =>
      m.query(
        `INSERT INTO schedule_status (schedule_id, last_error, last_error_at) VALUES ($1, $2, now())
         ON CONFLICT (schedule_id) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at, updated_at = now()`,
        [run.scheduleId, message],
      ),
    );
  }

  async statuses(): Promise<Map<string, ScheduleStatusRow>> {
    const rows: ScheduleStatusRow[] = await this.tx.runAsSystem((m) =>
      m.query(`SELECT schedule_id, last_run_at, last_period_start, last_duration_ms, last_error, last_error_at FROM schedule_status`),
    );
    return new Map(rows.map((r) => [r.schedule_id, r]));
  }

  private async insertReceipt(m: EntityManager, run: ScheduledRun): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO scheduled_runs (schedule_id, period_start, job_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING schedule_id`,
      [run.scheduleId, run.periodStart, run.jobId],
    );
    return inserted.length > 0;
  }
}
