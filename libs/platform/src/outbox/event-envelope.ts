/** What travels from the outbox to a consumer: one committed domain event. */
export interface EventEnvelope<P = Record<string, unknown>> {
  id: string;
  tenantId: string;
  type: string;
  /** The version of the payload's shape, as its definition declared it when the event was written. */
  eventVersion: number;
  aggregateType: string;
  aggregateId: string;
  payload: P;
  occurredAt: string;
  actorId: string | null;
  correlationId: string | null;
  /** W3C trace context of the work that committed the event (`traceparent`, `tracestate`); absent outside a trace. */
  traceContext?: Record<string, string>;
}
