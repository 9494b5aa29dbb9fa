import type { Statement } from '@switchboard/platform';
import type { JobStatus } from '../domain/status';
import { iso } from './execute';

export interface JobRow {
  id: string;
  contact_id: string;
  address_id: string;
  ticket_id: string | null;
  title: string;
  description: string | null;
  status: JobStatus;
  currency: string | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface JobView {
  id: string;
  contactId: string;
  addressId: string;
  ticketId: string | null;
  title: string;
  description: string | null;
  status: JobStatus;
  /** Set by the first line item; every later line is in the same currency. */
  currency: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A job in a list: the view and when its next visit not started begins (null: none planned). */
export interface JobListItem extends JobView {
  nextVisitAt: string | null;
}

export interface JobListFilter {
  status?: string;
  contactId?: string;
  /** The jobs made from this ticket. */
  ticketId?: string;
}

export const toJobListItem = (r: JobRow & { next_visit_at: Date | null }): JobListItem => ({ ...toJobView(r), nextVisitAt: iso(r.next_visit_at) });

export interface NoteView {
  id: string;
  jobId: string;
  authorId: string | null;
  body: string;
  createdAt: string;
}

export interface HistoryEntry {
  id: number;
  jobId: string;
  visitId: string | null;
  action: string;
  changes: Record<string, { from?: unknown; to?: unknown }>;
  actorId: string | null;
  createdAt: string;
}

export const JOB_COLUMNS = 'id, contact_id, address_id, ticket_id, title, description, status, currency, completed_at, cancelled_at, created_at, updated_at, version';

export const toJobView = (r: JobRow): JobView => ({
  id: r.id,
  contactId: r.contact_id,
  addressId: r.address_id,
  ticketId: r.ticket_id,
  title: r.title,
  description: r.description,
  status: r.status,
  currency: r.currency,
  completedAt: iso(r.completed_at),
  cancelledAt: iso(r.cancelled_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

export const toNoteView = (r: { id: string; job_id: string; author_id: string | null; body: string; created_at: Date }): NoteView => ({
  id: r.id,
  jobId: r.job_id,
  authorId: r.author_id,
  body: r.body,
  createdAt: iso(r.created_at)!,
});

export const toHistoryEntry = (r: { id: string; job_id: string; visit_id: string | null; action: string; changes: HistoryEntry['changes']; actor_id: string | null; created_at: Date }): HistoryEntry => ({
  id: Number(r.id),
  jobId: r.job_id,
  visitId: r.visit_id,
  action: r.action,
  changes: r.changes,
  actorId: r.actor_id,
  createdAt: iso(r.created_at)!,
});

export interface NewJob {
  contactId: string;
  addressId: string;
  ticketId: string | null;
  title: string;
  description: string | null;
}

export const jobsSql = {
  find: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${JOB_COLUMNS} FROM fs_jobs WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  insert: (tenantId: string, job: NewJob): Statement => ({
    sql: `INSERT INTO fs_jobs (tenant_id, contact_id, address_id, ticket_id, title, description) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${JOB_COLUMNS}`,
    params: [tenantId, job.contactId, job.addressId, job.ticketId, job.title, job.description],
  }),

  setStatus: (tenantId: string, id: string, status: JobStatus): Statement => ({
    sql: `WITH changed AS (UPDATE fs_jobs SET status = $3,
                 completed_at = CASE WHEN $3 = 'completed' THEN now() ELSE completed_at END,
                 cancelled_at = CASE WHEN $3 = 'cancelled' THEN now() ELSE cancelled_at END,
                 updated_at = now(), version = version + 1
           WHERE tenant_id = $1 AND id = $2 RETURNING ${JOB_COLUMNS}) SELECT * FROM changed`,
    params: [tenantId, id, status],
  }),

  /** The first line item decides the job's currency. */
  setCurrency: (tenantId: string, id: string, currency: string): Statement => ({
    sql: `UPDATE fs_jobs SET currency = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND currency IS NULL`,
    params: [tenantId, id, currency],
  }),

  touch: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE fs_jobs SET updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id],
  }),

  /** Newest first, one more than `limit`; `after` is the last row's (created_at, id). */
  list: (tenantId: string, page: JobListFilter & { limit: number; after?: [string, string] }): Statement => {
    const params: unknown[] = [tenantId, page.limit + 1];
    let where = '';
    if (page.after) where += ` AND (j.created_at, j.id) < ($${params.push(page.after[0])}::timestamptz, $${params.push(page.after[1])}::uuid)`;
    if (page.status) where += ` AND j.status = $${params.push(page.status)}`;
    if (page.contactId) where += ` AND j.contact_id = $${params.push(page.contactId)}::uuid`;
    if (page.ticketId) where += ` AND j.ticket_id = $${params.push(page.ticketId)}::uuid`;
    const columns = JOB_COLUMNS.split(', ').map((c) => `j.${c}`).join(', ');
    return {
      sql: `SELECT ${columns}, (SELECT min(v.scheduled_start) FROM fs_visits v WHERE v.tenant_id = j.tenant_id AND v.job_id = j.id AND v.status = 'scheduled') AS next_visit_at
              FROM fs_jobs j WHERE j.tenant_id = $1${where} ORDER BY j.created_at DESC, j.id DESC LIMIT $2`,
      params,
    };
  },

  /** Several jobs by id (for the dispatch board). */
  findMany: (tenantId: string, ids: string[]): Statement => ({
    sql: `SELECT ${JOB_COLUMNS} FROM fs_jobs WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    params: [tenantId, ids],
  }),

  insertNote: (tenantId: string, jobId: string, authorId: string | null, body: string): Statement => ({
    sql: `INSERT INTO fs_job_notes (tenant_id, job_id, author_id, body) VALUES ($1, $2, $3, $4) RETURNING id, job_id, author_id, body, created_at`,
    params: [tenantId, jobId, authorId, body],
  }),

  notes: (tenantId: string, jobId: string): Statement => ({
    sql: `SELECT id, job_id, author_id, body, created_at FROM fs_job_notes WHERE tenant_id = $1 AND job_id = $2 ORDER BY created_at, id LIMIT 500`,
    params: [tenantId, jobId],
  }),

  recordHistory: (tenantId: string, jobId: string, visitId: string | null, action: string, changes: Record<string, { from?: unknown; to?: unknown }>, actorId: string | null): Statement => ({
    sql: `INSERT INTO fs_job_history (tenant_id, job_id, visit_id, action, changes, actor_id) VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
    params: [tenantId, jobId, visitId, action, JSON.stringify(changes), actorId],
  }),

  /** Newest first, one more than `limit`; `before` is an entry id. */
  history: (tenantId: string, jobId: string, page: { limit: number; before?: number }): Statement => {
    const params: unknown[] = [tenantId, jobId, page.limit + 1];
    const before = page.before !== undefined ? ` AND id < $${params.push(page.before)}::bigint` : '';
    return {
      sql: `SELECT id, job_id, visit_id, action, changes, actor_id, created_at FROM fs_job_history WHERE tenant_id = $1 AND job_id = $2${before} ORDER BY id DESC LIMIT $3`,
      params,
    };
  },
};
