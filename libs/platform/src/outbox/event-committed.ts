import type { EventEnvelope } from './event-envelope';

/** Published on the in-process EventBus after the transaction that raised the event commits. */
export class EventCommitted<P = Record<string, unknown>> {
  constructor(readonly event: EventEnvelope<P>) {}
}
