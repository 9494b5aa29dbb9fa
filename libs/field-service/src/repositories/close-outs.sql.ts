import type { Statement } from '@switchboard/platform';
import type { AttributeSuggestion, CloseOutStatus, ConfirmedAttribute, ExtractionOutcome } from '../domain/close-out';
import { iso } from './execute';

export interface CloseOutRow {
  job_id: string;
  status: CloseOutStatus;
  notes: string;
  duration_minutes: number;
  suggestions: AttributeSuggestion[];
  extraction_status: ExtractionOutcome['status'];
  extraction_detail: string | null;
  provider: string | null;
  model: string | null;
  initiated_by: string | null;
  initiated_at: Date;
  attributes: { confirmed: ConfirmedAttribute[]; dropped: string[] } | null;
  next_action: Record<string, unknown> | null;
  finalized_by: string | null;
  finalized_at: Date | null;
  version: number;
}

/** What the next action became once the job closed: the booked visit, the follow-up, or nothing. */
export type ResolvedNextAction =
  | { kind: 'schedule_visit'; jobId: string; visitId: string; start: string; durationMinutes: number; technicianId: string | null }
  | { kind: 'reach_out'; inMonths: number; followUpId: string; dueOn: string }
  | { kind: 'none' };

export interface CloseOutView {
  jobId: string;
  status: CloseOutStatus;
  notes: string;
  durationMinutes: number;
  extraction: ExtractionOutcome;
  suggestions: AttributeSuggestion[];
  initiatedBy: string | null;
  initiatedAt: string;
  /** Null until finalized. */
  confirmed: ConfirmedAttribute[] | null;
  dropped: string[] | null;
  nextAction: ResolvedNextAction | null;
  finalizedBy: string | null;
  finalizedAt: string | null;
  version: number;
}

export interface NewCloseOut {
  notes: string;
  durationMinutes: number;
  suggestions: AttributeSuggestion[];
  extraction: ExtractionOutcome;
  initiatedBy: string | null;
}

const COLUMNS =
  'job_id, status, notes, duration_minutes, suggestions, extraction_status, extraction_detail, provider, model, initiated_by, initiated_at, attributes, next_action, finalized_by, finalized_at, version';

export const toCloseOutView = (r: CloseOutRow): CloseOutView => ({
  jobId: r.job_id,
  status: r.status,
  notes: r.notes,
  durationMinutes: r.duration_minutes,
  extraction: { status: r.extraction_status, detail: r.extraction_detail, provider: r.provider, model: r.model },
  suggestions: r.suggestions,
  initiatedBy: r.initiated_by,
  initiatedAt: iso(r.initiated_at)!,
  confirmed: r.attributes?.confirmed ?? null,
  dropped: r.attributes?.dropped ?? null,
  nextAction: (r.next_action as ResolvedNextAction | null) ?? null,
  finalizedBy: r.finalized_by,
  finalizedAt: iso(r.finalized_at),
  version: r.version,
});

export const closeOutsSql = {
  find: (tenantId: string, jobId: string, forUpdate = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM fs_close_outs WHERE tenant_id = $1 AND job_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    params: [tenantId, jobId],
  }),

  /** A new draft, or a fresh one in place of a draft not yet finalized (a finalized close-out never changes). */
  saveDraft: (tenantId: string, jobId: string, d: NewCloseOut): Statement => ({
    sql: `WITH saved AS (
            INSERT INTO fs_close_outs (tenant_id, job_id, notes, duration_minutes, suggestions, extraction_status, extraction_detail, provider, model, initiated_by)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10)
            ON CONFLICT (tenant_id, job_id) DO UPDATE SET
              notes = EXCLUDED.notes, duration_minutes = EXCLUDED.duration_minutes, suggestions = EXCLUDED.suggestions,
              extraction_status = EXCLUDED.extraction_status, extraction_detail = EXCLUDED.extraction_detail,
              provider = EXCLUDED.provider, model = EXCLUDED.model, initiated_by = EXCLUDED.initiated_by, initiated_at = now(),
              version = fs_close_outs.version + 1
            WHERE fs_close_outs.status = 'awaiting_confirmation'
            RETURNING ${COLUMNS})
          SELECT * FROM saved`,
    params: [tenantId, jobId, d.notes, d.durationMinutes, JSON.stringify(d.suggestions), d.extraction.status, d.extraction.detail, d.extraction.provider, d.extraction.model, d.initiatedBy],
  }),

  finalize: (tenantId: string, jobId: string, attributes: { confirmed: ConfirmedAttribute[]; dropped: string[] }, nextAction: ResolvedNextAction, by: string | null): Statement => ({
    sql: `WITH done AS (
            UPDATE fs_close_outs SET status = 'finalized', attributes = $3::jsonb, next_action = $4::jsonb, finalized_by = $5, finalized_at = now(), version = version + 1
             WHERE tenant_id = $1 AND job_id = $2 AND status = 'awaiting_confirmation'
            RETURNING ${COLUMNS})
          SELECT * FROM done`,
    params: [tenantId, jobId, JSON.stringify(attributes), JSON.stringify(nextAction), by],
  }),

  insertFollowUp: (tenantId: string, jobId: string, contactId: string, dueOn: string, by: string | null): Statement => ({
    sql: `INSERT INTO fs_follow_ups (tenant_id, job_id, contact_id, kind, due_on, created_by) VALUES ($1, $2, $3, 'reach_out', $4::date, $5) RETURNING id, to_char(due_on, 'YYYY-MM-DD') AS due_on`,
    params: [tenantId, jobId, contactId, dueOn, by],
  }),
};
