import { ContextRegistry, consoleTargets, mayReceive, rooms, toConsoleEvent, type EventEnvelope } from '@switchboard/platform';
import { fieldServiceContext, JobCreated, VisitAssigned, VisitCancelled, VisitRescheduled } from '../field-service.context';

const T = 'tenant-1';
const OLD = 'tech-old';
const NEW = 'tech-new';
const registry = new ContextRegistry([fieldServiceContext]);
const slot = { scheduledStart: '2026-12-02T09:00:00.000Z', scheduledEnd: '2026-12-02T10:00:00.000Z' };

const envelope = (raised: { type: string; aggregateId: string; payload: object }): EventEnvelope => ({
  id: 'e1',
  tenantId: T,
  type: raised.type,
  eventVersion: 1,
  aggregateType: 'field_service_job',
  aggregateId: raised.aggregateId,
  payload: raised.payload as Record<string, unknown>,
  occurredAt: '2026-12-01T08:00:00.000Z',
  actorId: 'dispatcher',
  correlationId: null,
});

describe('field-service console events', () => {
  it('shows a reassignment to the old and the new technician, and to consoles that see jobs without being a technician’s', () => {
    const e = envelope(VisitAssigned.of('j1', { visitId: 'v1', from: OLD, to: NEW, ...slot, version: 2 }));
    expect(toConsoleEvent(registry, e)).toEqual({
      event: 'visit.assigned',
      data: { jobId: 'j1', visitId: 'v1', change: 'assigned', technicianId: NEW, previousTechnicianId: OLD, ...slot, previous: null, eventId: 'e1', occurredAt: '2026-12-01T08:00:00.000Z', actorId: 'dispatcher' },
    });
    const mapping = registry.consoleMapping(e)!;
    expect(consoleTargets(mapping, e)).toEqual([
      { to: [rooms.user(T, OLD), rooms.user(T, NEW)], except: [] },
      { to: [rooms.permission(T, 'jobs:read')], except: [rooms.role(T, 'technician')] },
    ]);
    expect(mayReceive(mapping, e, { userId: 'tech-third', role: 'technician', permissions: ['jobs:read'] })).toBe(false);
    expect(mayReceive(mapping, e, { userId: OLD, role: 'technician', permissions: ['jobs:read'] })).toBe(true);
    expect(mayReceive(mapping, e, { userId: 'agent-1', role: 'agent', permissions: ['jobs:read', 'tickets:read'] })).toBe(true);
    expect(mayReceive(mapping, e, { userId: 'key-1', role: null, permissions: ['tickets:read'] })).toBe(false);
  });

  it('carries the new and the previous times of a reschedule, and the slot of a cancellation', () => {
    const moved = envelope(VisitRescheduled.of('j1', { visitId: 'v1', technicianId: OLD, from: slot, to: { scheduledStart: '2026-12-03T09:00:00.000Z', scheduledEnd: '2026-12-03T11:00:00.000Z' }, version: 3 }));
    expect(toConsoleEvent(registry, moved)?.data).toMatchObject({ change: 'rescheduled', technicianId: OLD, scheduledStart: '2026-12-03T09:00:00.000Z', previous: slot });
    const cancelled = envelope(VisitCancelled.of('j1', { visitId: 'v1', technicianId: null, withJob: false, ...slot, version: 4 }));
    expect(toConsoleEvent(registry, cancelled)).toMatchObject({ event: 'visit.cancelled', data: { change: 'cancelled', technicianId: null, withJob: false, ...slot } });
    // Unassigned: nobody's own room, dispatchers only.
    expect(consoleTargets(registry.consoleMapping(cancelled)!, cancelled)).toEqual([{ to: [rooms.permission(T, 'jobs:read')], except: [rooms.role(T, 'technician')] }]);
  });

  it('shows a new job without its contact or address', () => {
    const e = envelope(JobCreated.of('j1', { contactId: 'c1', addressId: 'a1', ticketId: 't1', title: 'Boiler service', status: 'scheduled' }));
    const data = toConsoleEvent(registry, e)!.data;
    expect(data).toMatchObject({ jobId: 'j1', ticketId: 't1', title: 'Boiler service', status: 'scheduled' });
    expect(data).not.toHaveProperty('contactId');
    expect(data).not.toHaveProperty('addressId');
  });
});
