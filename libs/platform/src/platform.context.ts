import { defineContext, defineJob, type QueueDefinition } from './registry/context';
import { defineEvent } from './registry/events';
import { defineSchedule } from './registry/schedules';

export const OutboxQueue: QueueDefinition = { name: 'outbox', description: 'Consuming it runs the outbox relay and sweeper; it carries no jobs itself' };
export const PlatformQueue: QueueDefinition = { name: 'platform', description: 'Platform jobs: the pipeline probe, scheduled maintenance' };
export const RealtimeQueue: QueueDefinition = { name: 'realtime', description: 'Console events the committing process could not push (ADR 0006)' };
export const PLATFORM_QUEUES = [OutboxQueue, PlatformQueue, RealtimeQueue] as const;

/** End-to-end pipeline probe: proves outbox → relay → queue → worker works. */
export const ProbeRequested = defineEvent<{ probeId: string }>()('platform.probe_requested', { aggregate: 'probe' });

/** Deletes what the platform keeps only for a while: completed outbox events past OUTBOX_RETENTION_DAYS, with their receipts. */
export const RetentionJob = defineJob<Record<string, never>>()(PlatformQueue, 'platform.retention');
export const NightlyRetention = defineSchedule({
  id: 'platform.retention',
  job: RetentionJob,
  // Off the hour, when other installations' cron jobs crowd the database.
  pattern: '17 3 * * *',
  tz: 'UTC',
  description: 'Completed outbox events older than OUTBOX_RETENTION_DAYS and their receipts; old run receipts',
});

/** What the platform registers of its own, beside the contexts the apps list. */
export const platformContext = defineContext({
  name: 'platform',
  events: [ProbeRequested],
  queues: PLATFORM_QUEUES,
  jobs: [RetentionJob],
  schedules: [NightlyRetention],
});
