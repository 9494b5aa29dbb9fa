/**
 * The field-service part of the agent console's wire contract (`/agents` namespace): what each
 * job and visit event a console receives carries. The mapping (and who receives it) is in
 * field-service.context.ts; the platform adds eventId, occurredAt and actorId. Documented for
 * client authors in docs/realtime.md. Ids, times and statuses only: no contact or address data.
 */
import type { ConsoleEventBase, EnvelopeOf } from '@switchboard/platform';
import type { JobStatus } from '../domain/status';
import type { JobCreated, VisitAssigned, VisitCancelled, VisitRescheduled, VisitScheduled } from '../field-service.context';

export type VisitChange = 'scheduled' | 'rescheduled' | 'assigned' | 'cancelled';

export interface VisitChangedData {
  jobId: string;
  visitId: string;
  change: VisitChange;
  /** Who has the visit after the change (null: unassigned). */
  technicianId: string | null;
  /** Who had it before a reassignment; otherwise the same as technicianId. */
  previousTechnicianId: string | null;
  scheduledStart: string;
  scheduledEnd: string;
  /** The times before a reschedule; null for the other changes. */
  previous: { scheduledStart: string; scheduledEnd: string } | null;
  /** A cancellation only: whether the whole job was called off with it. */
  withJob?: boolean;
}

export interface JobCreatedData {
  jobId: string;
  ticketId: string | null;
  title: string;
  status: JobStatus;
}

export interface JobClosedData {
  jobId: string;
  status: 'completed' | 'cancelled';
  at: string;
}

export type VisitConsoleEvent = ConsoleEventBase & VisitChangedData;

/** Console event name → what it carries. */
export interface FieldServiceConsoleEvents {
  'job.created': ConsoleEventBase & JobCreatedData;
  'job.completed': ConsoleEventBase & JobClosedData;
  'job.cancelled': ConsoleEventBase & JobClosedData;
  'visit.scheduled': VisitConsoleEvent;
  'visit.rescheduled': VisitConsoleEvent;
  'visit.assigned': VisitConsoleEvent;
  'visit.cancelled': VisitConsoleEvent;
}

type VisitEnvelope =
  | (EnvelopeOf<typeof VisitScheduled> & { type: 'field_service.visit_scheduled' })
  | (EnvelopeOf<typeof VisitRescheduled> & { type: 'field_service.visit_rescheduled' })
  | (EnvelopeOf<typeof VisitAssigned> & { type: 'field_service.visit_assigned' })
  | (EnvelopeOf<typeof VisitCancelled> & { type: 'field_service.visit_cancelled' });

export function presentVisitChange(envelope: EnvelopeOf<typeof VisitScheduled | typeof VisitRescheduled | typeof VisitAssigned | typeof VisitCancelled>): Record<string, unknown> {
  const e = envelope as VisitEnvelope;
  const base = { jobId: e.aggregateId, visitId: e.payload.visitId };
  let data: VisitChangedData;
  switch (e.type) {
    case 'field_service.visit_rescheduled':
      data = { ...base, change: 'rescheduled', technicianId: e.payload.technicianId, previousTechnicianId: e.payload.technicianId, ...e.payload.to, previous: e.payload.from };
      break;
    case 'field_service.visit_assigned':
      data = {
        ...base,
        change: 'assigned',
        technicianId: e.payload.to,
        previousTechnicianId: e.payload.from,
        scheduledStart: e.payload.scheduledStart,
        scheduledEnd: e.payload.scheduledEnd,
        previous: null,
      };
      break;
    case 'field_service.visit_cancelled': {
      const p = e.payload;
      data = { ...base, change: 'cancelled', technicianId: p.technicianId, previousTechnicianId: p.technicianId, scheduledStart: p.scheduledStart, scheduledEnd: p.scheduledEnd, previous: null, withJob: p.withJob };
      break;
    }
    default: {
      const p = e.payload;
      data = { ...base, change: 'scheduled', technicianId: p.technicianId, previousTechnicianId: p.technicianId, scheduledStart: p.scheduledStart, scheduledEnd: p.scheduledEnd, previous: null };
    }
  }
  return { ...data };
}

export function presentJobCreated({ aggregateId, payload }: EnvelopeOf<typeof JobCreated>): Record<string, unknown> {
  const data: JobCreatedData = { jobId: aggregateId, ticketId: payload.ticketId, title: payload.title, status: payload.status };
  return { ...data };
}
