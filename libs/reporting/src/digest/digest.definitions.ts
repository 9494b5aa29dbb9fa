import { defineJob, defineSchedule, type QueueDefinition } from '@switchboard/platform';

export const ReportDigestQueue: QueueDefinition = { name: 'report-digest', description: 'The weekly report digest: which tenants are due, then one mail run per tenant and week' };

/** Finds the tenants whose Monday digest hour has come and queues each one's digest of last week. */
export const QueueWeeklyDigests = defineJob<Record<string, never>>()(ReportDigestQueue, 'reporting.queue-weekly-digests');

export interface SendWeeklyDigestPayload {
  tenantId: string;
  /** The Monday (local day) of the week the digest covers. */
  weekStart: string;
}

/** One tenant's digest of one week; job id `weekly-digest:<tenant>:<week>`, and a receipt row, make it once. */
export const SendWeeklyDigest = defineJob<SendWeeklyDigestPayload>()(ReportDigestQueue, 'reporting.send-weekly-digest');

export const weeklyDigestJobId = ({ tenantId, weekStart }: SendWeeklyDigestPayload) => `weekly-digest:${tenantId}:${weekStart}`;

/** Hourly, so every time zone's Monday morning is met within the hour. */
export const WeeklyDigests = defineSchedule({
  id: 'reporting.weekly-digests',
  job: QueueWeeklyDigests,
  pattern: '5 * * * *',
  tz: 'UTC',
  description: 'Queues the weekly report digest of each tenant whose Monday 07:00 has passed (once per tenant and week)',
});
