import { defineContext, type QueueDefinition } from './registry/context';
import { defineEvent } from './registry/events';

export const OutboxQueue: QueueDefinition = { name: 'outbox', description: 'Consuming it runs the outbox relay and sweeper; it carries no jobs itself' };
export const PlatformQueue: QueueDefinition = { name: 'platform', description: 'Platform jobs: the pipeline probe, scheduled maintenance' };
export const RealtimeQueue: QueueDefinition = { name: 'realtime', description: 'Console events the committing process could not push (ADR 0006)' };
export const PLATFORM_QUEUES = [OutboxQueue, PlatformQueue, RealtimeQueue] as const;

/** End-to-end pipeline probe: proves outbox → relay → queue → worker works. */
export const ProbeRequested = defineEvent<{ probeId: string }>()('platform.probe_requested', { aggregate: 'probe' });

/** What the platform registers of its own, beside the contexts the apps list. */
export const platformContext = defineContext({
  name: 'platform',
  events: [ProbeRequested],
  queues: PLATFORM_QUEUES,
});
