import { defineContext, defineEvent } from '@switchboard/platform';
import type { JobStatus } from './domain/status';

interface VisitTimes {
  scheduledStart: string;
  scheduledEnd: string;
}

/** Field-service events; the aggregate is the job, so one job's events share an id. */
export const JobCreated = defineEvent<{ contactId: string; addressId: string; ticketId: string | null; title: string; status: JobStatus }>()('field_service.job_created', {
  aggregate: 'field_service_job',
});
export const VisitScheduled = defineEvent<{ visitId: string; technicianId: string | null } & VisitTimes>()('field_service.visit_scheduled', { aggregate: 'field_service_job' });
export const VisitRescheduled = defineEvent<{ visitId: string; technicianId: string | null; from: VisitTimes; to: VisitTimes }>()('field_service.visit_rescheduled', {
  aggregate: 'field_service_job',
});
export const JobCompleted = defineEvent<{ completedAt: string; currency: string | null; subtotal: number; tax: number; total: number; visitIds: string[] }>()(
  'field_service.job_completed',
  { aggregate: 'field_service_job' },
);

/** Service catalog, jobs and their visits, technicians' time on site, line items and notes. */
export const fieldServiceContext = defineContext({
  name: 'field-service',
  events: [JobCreated, VisitScheduled, VisitRescheduled, JobCompleted],
});
