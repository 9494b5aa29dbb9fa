import type { Statement } from '../database/pipelined-transaction';

/** Outbox positions at or above this one hold events newer than the cutoff (positions follow time). */
export function firstRecentPosition(cutoff: Date): Statement {
  return { sql: `SELECT position FROM outbox WHERE occurred_at >= $1 ORDER BY position LIMIT 1`, params: [cutoff] };
}

/**
 * Up to `limit` completed events that occurred before `cutoff`, with their consumers' receipts, in
 * one statement. `below` bounds the walk of the position index to the old part of the log, so the
 * last batch does not scan every recent row. Undispatched, unacknowledged and parked events stay.
 */
export function deleteCompletedEvents(cutoff: Date, below: string, limit: number): Statement {
  return {
    sql: `WITH doomed AS (
            SELECT tenant_id, id FROM outbox
             WHERE position < $2::bigint AND completed_at IS NOT NULL AND occurred_at < $1
             ORDER BY position LIMIT $3
          ), receipts AS (
            DELETE FROM event_receipts r USING doomed d WHERE r.tenant_id = d.tenant_id AND r.event_id = d.id
          )
          DELETE FROM outbox o USING doomed d WHERE o.tenant_id = d.tenant_id AND o.id = d.id`,
    params: [cutoff, below, limit],
  };
}

export function deleteRunReceipts(before: Date, limit: number): Statement {
  return {
    sql: `DELETE FROM scheduled_runs WHERE (schedule_id, period_start) IN (
            SELECT schedule_id, period_start FROM scheduled_runs WHERE period_start < $1 LIMIT $2)`,
    params: [before, limit],
  };
}
