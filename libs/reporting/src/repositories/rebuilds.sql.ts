import type { Statement } from '@switchboard/platform';

/** A tenant's metrics rebuild: which one (generation), where it is, how far it got. RebuildsRepository runs these. */
export interface RebuildView {
  generation: number;
  state: 'running' | 'done';
  /** Tickets recomputed so far in this rebuild. */
  done: number;
  requestedAt: string;
  progressedAt: string;
  finishedAt: string | null;
}

export interface RebuildRow {
  generation: number;
  state: RebuildView['state'];
  after_ticket_id: string | null;
  done: number;
  requested_at: Date;
  progressed_at: Date;
  finished_at: Date | null;
}

const COLUMNS = 'generation, state, after_ticket_id, done, requested_at, progressed_at, finished_at';
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const toRebuildView = (r: RebuildRow): RebuildView => ({
  generation: r.generation,
  state: r.state,
  done: r.done,
  requestedAt: iso(r.requested_at)!,
  progressedAt: iso(r.progressed_at)!,
  finishedAt: iso(r.finished_at),
});

export const rebuildsSql = {
  find: (tenantId: string, lock = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM reporting_rebuilds WHERE tenant_id = $1${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId],
  }),
  /** A new rebuild from the first ticket; one already running is superseded (its next batch finds another generation). */
  start: (tenantId: string): Statement => ({
    sql: `INSERT INTO reporting_rebuilds AS r (tenant_id, state) VALUES ($1, 'running')
          ON CONFLICT (tenant_id) DO UPDATE SET generation = r.generation + 1, state = 'running', after_ticket_id = NULL, done = 0,
            requested_at = now(), progressed_at = now(), finished_at = NULL
          RETURNING ${COLUMNS}`,
    params: [tenantId],
  }),
  progress: (tenantId: string, after: string | null, read: number): Statement => ({
    sql: `UPDATE reporting_rebuilds SET after_ticket_id = $2, done = done + $3, progressed_at = now(),
            state = CASE WHEN $2::uuid IS NULL THEN 'done' ELSE 'running' END, finished_at = CASE WHEN $2::uuid IS NULL THEN now() END
          WHERE tenant_id = $1 RETURNING ${COLUMNS}`,
    params: [tenantId, after, read],
  }),
};
