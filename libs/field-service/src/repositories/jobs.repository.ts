import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { JobStatus } from '../domain/status';
import { execute } from './execute';
import { jobsSql, toHistoryEntry, toJobListItem, toJobView, toNoteView, type HistoryEntry, type JobListFilter, type JobListItem, type JobRow, type JobView, type NewJob, type NoteView } from './jobs.sql';

type Changes = Record<string, { from?: unknown; to?: unknown }>;

/** Jobs with their notes and history (SQL in `jobs.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class JobsRepository {
  async find(tx: TenantTx, id: string): Promise<JobView | undefined> {
    const [row] = await execute<JobRow[]>(tx, jobsSql.find(tx.tenantId, id));
    return row ? toJobView(row) : undefined;
  }

  /** Locked for the rest of the transaction: one change of a job (and its visits and lines) at a time. */
  async findForUpdate(tx: TenantTx, id: string): Promise<JobView | undefined> {
    const [row] = await execute<JobRow[]>(tx, jobsSql.find(tx.tenantId, id, true));
    return row ? toJobView(row) : undefined;
  }

  async findMany(tx: TenantTx, ids: string[]): Promise<JobView[]> {
    return ids.length ? (await execute<JobRow[]>(tx, jobsSql.findMany(tx.tenantId, ids))).map(toJobView) : [];
  }

  async insert(tx: TenantTx, job: NewJob): Promise<JobView> {
    const [row] = await execute<JobRow[]>(tx, jobsSql.insert(tx.tenantId, job));
    return toJobView(row);
  }

  async setStatus(tx: TenantTx, id: string, status: JobStatus): Promise<JobView> {
    const [row] = await execute<JobRow[]>(tx, jobsSql.setStatus(tx.tenantId, id, status));
    return toJobView(row);
  }

  async setCurrency(tx: TenantTx, id: string, currency: string): Promise<void> {
    await execute(tx, jobsSql.setCurrency(tx.tenantId, id, currency));
  }

  /** A new version for a change to something the job holds (a line item, a note). */
  async touch(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, jobsSql.touch(tx.tenantId, id));
  }

  async list(tx: TenantTx, page: JobListFilter & { limit: number; after?: [string, string] }): Promise<JobListItem[]> {
    return (await execute<(JobRow & { next_visit_at: Date | null })[]>(tx, jobsSql.list(tx.tenantId, page))).map(toJobListItem);
  }

  async addNote(tx: TenantTx, jobId: string, body: string): Promise<NoteView> {
    const [row] = await execute<Parameters<typeof toNoteView>[0][]>(tx, jobsSql.insertNote(tx.tenantId, jobId, tx.context.actorId, body));
    return toNoteView(row);
  }

  async notes(tx: TenantTx, jobId: string): Promise<NoteView[]> {
    return (await execute<Parameters<typeof toNoteView>[0][]>(tx, jobsSql.notes(tx.tenantId, jobId))).map(toNoteView);
  }

  /** One history entry per change, by the transaction's actor. */
  async recordHistory(tx: TenantTx, jobId: string, visitId: string | null, action: string, changes: Changes): Promise<void> {
    await execute(tx, jobsSql.recordHistory(tx.tenantId, jobId, visitId, action, changes, tx.context.actorId));
  }

  async history(tx: TenantTx, jobId: string, page: { limit: number; before?: number }): Promise<HistoryEntry[]> {
    return (await execute<Parameters<typeof toHistoryEntry>[0][]>(tx, jobsSql.history(tx.tenantId, jobId, page))).map(toHistoryEntry);
  }
}
