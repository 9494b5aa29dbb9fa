/** What travels from the outbox to a consumer: one committed domain event. */
export interface EventEnvelope<P = Record<string, unknown>> {
  id: string;
  tenantId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: P;
  occurredAt: string;
  actorId: string | null;
  correlationId: string | null;
}

/** A domain event raised inside a tenant transaction, before it has an id or a time. */
export interface DomainEvent<P = Record<string, unknown>> {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: P;
  /** For an event recorded later on behalf of another request (batched writes): its actor and request id instead of the writer's. */
  actorId?: string | null;
  correlationId?: string | null;
}
