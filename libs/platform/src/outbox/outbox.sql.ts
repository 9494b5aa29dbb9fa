import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from './event-envelope';

export async function insertOutboxRows(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  const { sql, params } = outboxInsert(events);
  await manager.query(sql, params);
}

/** The INSERT of outbox rows for one or more envelopes, for callers that send statements themselves. */
export function outboxInsert(events: readonly EventEnvelope[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows = events.map((e, i) => {
    params.push(e.id, e.tenantId, e.type, e.eventVersion, e.aggregateType, e.aggregateId, JSON.stringify(e.payload), e.occurredAt, e.actorId, e.correlationId, e.traceContext ? JSON.stringify(e.traceContext) : null);
    const o = i * 11;
    return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}::jsonb, $${o + 8}, $${o + 9}, $${o + 10}, $${o + 11}::jsonb)`;
  });
  return {
    sql: `INSERT INTO outbox (id, tenant_id, type, event_version, aggregate_type, aggregate_id, payload, occurred_at, actor_id, correlation_id, trace_context)
     VALUES ${rows.join(', ')}`,
    params,
  };
}

export interface OutboxRow {
  id: string;
  tenant_id: string;
  type: string;
  event_version: number;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
  actor_id: string | null;
  correlation_id: string | null;
  trace_context?: Record<string, string> | null;
}

export function toEnvelope(row: OutboxRow): EventEnvelope {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    eventVersion: row.event_version ?? 1,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: row.payload,
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorId: row.actor_id,
    correlationId: row.correlation_id,
    ...(row.trace_context ? { traceContext: row.trace_context } : {}),
  };
}

/** The columns `toEnvelope` reads, for statements that select outbox rows. */
export const OUTBOX_COLUMNS = 'id, tenant_id, type, event_version, aggregate_type, aggregate_id, payload, occurred_at, actor_id, correlation_id, trace_context';
