import { consoleEvent, defineContext, defineEvent, defineJob, defineSchedule, type QueueDefinition } from '@switchboard/platform';
import { presentJobCreated, presentVisitChange } from './realtime/present';
import type { ConfirmedAttribute } from './domain/close-out';
import type { JobStatus } from './domain/status';
import type { ResolvedNextAction } from './repositories/close-outs.sql';

interface VisitTimes {
  scheduledStart: string;
  scheduledEnd: string;
}
/** The visit's version after the change: of two events about one visit, the higher version is the later state. */
interface VisitVersion {
  version: number;
}

/** Field-service events; the aggregate is the job, so one job's events share an id. */
export const JobCreated = defineEvent<{ contactId: string; addressId: string; ticketId: string | null; title: string; status: JobStatus }>()('field_service.job_created', {
  aggregate: 'field_service_job',
});
export const VisitScheduled = defineEvent<{ visitId: string; technicianId: string | null } & VisitTimes & VisitVersion>()('field_service.visit_scheduled', { aggregate: 'field_service_job' });
export const VisitRescheduled = defineEvent<{ visitId: string; technicianId: string | null; from: VisitTimes; to: VisitTimes } & VisitVersion>()('field_service.visit_rescheduled', {
  aggregate: 'field_service_job',
});
/** A visit not started given to another technician (`to`), or taken back (`to` null); `from` is who had it. */
export const VisitAssigned = defineEvent<{ visitId: string; from: string | null; to: string | null } & VisitTimes & VisitVersion>()('field_service.visit_assigned', {
  aggregate: 'field_service_job',
});
/** A visit not started called off, alone or with its job (`withJob`); its slot is free again. */
export const VisitCancelled = defineEvent<{ visitId: string; technicianId: string | null; withJob: boolean } & VisitTimes & VisitVersion>()('field_service.visit_cancelled', {
  aggregate: 'field_service_job',
});
/** The visit's technician (or a dispatcher for them) clocked in: the visit is under way. */
export const VisitClockedIn = defineEvent<{ visitId: string; technicianId: string | null; clockedInAt: string } & VisitTimes & VisitVersion>()('field_service.visit_clocked_in', {
  aggregate: 'field_service_job',
});
/** Clocked out: the visit is done; `clockedInAt`–`clockedOutAt` is the time on site (one interval per visit). */
export const VisitClockedOut = defineEvent<{ visitId: string; technicianId: string | null; clockedInAt: string; clockedOutAt: string; actualMinutes: number } & VisitTimes & VisitVersion>()(
  'field_service.visit_clocked_out',
  { aggregate: 'field_service_job' },
);
export const JobCancelled = defineEvent<{ cancelledAt: string; visitIds: string[] }>()('field_service.job_cancelled', { aggregate: 'field_service_job' });
export const JobCompleted = defineEvent<{ completedAt: string; currency: string | null; subtotal: number; tax: number; total: number; visitIds: string[] }>()(
  'field_service.job_completed',
  { aggregate: 'field_service_job' },
);

/**
 * A job closed out by its technician: the attributes they confirmed (with what the AI had
 * suggested) for the job's contact, and what happens next. Follows the job's `job_completed`.
 */
export const JobClosedOut = defineEvent<{
  contactId: string;
  durationMinutes: number;
  attributes: ConfirmedAttribute[];
  dropped: string[];
  nextAction: ResolvedNextAction;
  confirmedBy: string | null;
  confirmedAt: string;
}>()('field_service.job_closed_out', { aggregate: 'field_service_job' });

/** A lead captured (a call or a contact form); its aggregate is the lead. */
export const LeadCreated = defineEvent<{ hasEmail: boolean; hasPhone: boolean; serviceId: string | null }>()('field_service.lead_created', {
  aggregate: 'field_service_lead',
});

/** A lead turned into a contact (found or created), perhaps a new address, and perhaps a job. */
export const LeadConverted = defineEvent<{ contactId: string; contactCreated: boolean; addressId: string | null; addressCreated: boolean; jobId: string | null; serviceId: string | null }>()(
  'field_service.lead_converted',
  { aggregate: 'field_service_lead' },
);

export const FieldServiceQueue: QueueDefinition = { name: 'field-service', description: 'Field service following committed changes (close-out attributes onto contacts, contact erasures)' };

/** Customer messages at their instant: visit confirmations and reminders with calendar invites, service reminders. */
export const RemindersQueue: QueueDefinition = { name: 'reminders', description: 'Field-service customer messages (visit confirmations and reminders, service reminders), each sent once at its instant' };

/** Sends one scheduled message once it is due (a delayed job keyed by the message id). */
export const SendScheduledMessage = defineJob<{ tenantId: string; messageId: string }>()(RemindersQueue, 'field_service.send-message');
/** Queues the messages about to fall due (and fails those a stopped worker left half-sent). */
export const QueueDueMessages = defineJob<Record<string, never>>()(RemindersQueue, 'field_service.queue-due-messages');
/** How far ahead the sweep queues delayed jobs; each goes out at its own instant. */
export const DUE_MESSAGES_LOOKAHEAD_MS = 60_000;
export const DueMessages = defineSchedule({
  id: 'field-service.due-messages',
  job: QueueDueMessages,
  every: 30_000,
  description: 'Scheduled customer messages falling due in the next minute, queued for their instant (Postgres holds them; Redis may lose its delayed jobs)',
});

/**
 * Job and visit changes on the agent console (payloads in realtime/console-events.ts). A visit
 * change reaches the technicians it concerns (the old and the new one on a reassignment) and
 * the consoles that see jobs without being a technician's (dispatchers, agents, viewers, API keys
 * with jobs:read); other technicians' consoles do not get it. Job changes go to the latter only.
 */
const DISPATCHERS = { permission: 'jobs:read', exceptRoles: ['technician'] } as const;

/** Service catalog, leads, jobs and their visits, technicians' time on site, line items and notes. */
export const fieldServiceContext = defineContext({
  name: 'field-service',
  events: [JobCreated, VisitScheduled, VisitRescheduled, VisitAssigned, VisitCancelled, VisitClockedIn, VisitClockedOut, JobCancelled, JobCompleted, JobClosedOut, LeadCreated, LeadConverted],
  queues: [FieldServiceQueue, RemindersQueue],
  jobs: [SendScheduledMessage, QueueDueMessages],
  schedules: [DueMessages],
  consoleEvents: [
    consoleEvent(JobCreated, 'job.created', presentJobCreated, DISPATCHERS),
    consoleEvent(JobCompleted, 'job.completed', ({ aggregateId, payload }) => ({ jobId: aggregateId, status: 'completed', at: payload.completedAt }), DISPATCHERS),
    consoleEvent(JobCancelled, 'job.cancelled', ({ aggregateId, payload }) => ({ jobId: aggregateId, status: 'cancelled', at: payload.cancelledAt }), DISPATCHERS),
    consoleEvent(VisitScheduled, 'visit.scheduled', presentVisitChange, { ...DISPATCHERS, users: ({ payload }) => [payload.technicianId] }),
    consoleEvent(VisitRescheduled, 'visit.rescheduled', presentVisitChange, { ...DISPATCHERS, users: ({ payload }) => [payload.technicianId] }),
    consoleEvent(VisitAssigned, 'visit.assigned', presentVisitChange, { ...DISPATCHERS, users: ({ payload }) => [payload.from, payload.to] }),
    consoleEvent(VisitCancelled, 'visit.cancelled', presentVisitChange, { ...DISPATCHERS, users: ({ payload }) => [payload.technicianId] }),
  ],
});
