import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context of the transaction that wrote an event (`{"traceparent": …, "tracestate": …}`),
 * so that the relay, the queue job and the consumer continue the trace of the request (ADR 0053).
 * NULL when tracing is off or the event was written outside a trace.
 */
export class OutboxTraceContext1765130400000 implements MigrationInterface {
  name = 'OutboxTraceContext1765130400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN trace_context jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN trace_context`);
  }
}
