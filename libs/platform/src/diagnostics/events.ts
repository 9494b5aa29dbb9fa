import type { DomainEvent } from '../outbox/event-envelope';

export const PROBE_REQUESTED = 'platform.probe_requested';

export const probeRequested = (probeId: string): DomainEvent<{ probeId: string }> => ({
  type: PROBE_REQUESTED,
  aggregateType: 'probe',
  aggregateId: probeId,
  payload: { probeId },
});
