/**
 * The one registry of queues, job names and their payloads. A worker consuming a queue refuses to
 * boot unless every job listed for that queue has a handler (see JobHandlerRegistry).
 */
import type { EventEnvelope } from '../outbox/event-envelope';
import { CONSOLE_EVENT_TYPES } from '../realtime/console-events';

export const QUEUE_NAMES = ['outbox', 'platform', 'tenancy', 'tickets', 'realtime', 'embeddings'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Job name → payload type, per queue. */
export interface JobPayloads {
  /** Consuming `outbox` means running the relay and the sweeper; it carries no jobs itself. */
  outbox: Record<never, never>;
  platform: {
    /** End-to-end pipeline probe: proves outbox → relay → queue → worker works. */
    'platform.probe': EventEnvelope<{ probeId: string }>;
  };
  tenancy: {
    /** Deletes every row, file and Redis key of a tenant; resumable. */
    'tenancy.purge-tenant': EventEnvelope<{ slug: string }>;
  };
  tickets: {
    /** Moves tickets of a contact merged into another to the surviving contact. */
    'tickets.follow-contact-merge': EventEnvelope<{ targetId: string; sourceId: string }>;
  };
  realtime: {
    /** Pushes a console event to agent consoles unless the committing process already did (ADR 0006). */
    'realtime.push-missed': EventEnvelope;
  };
  embeddings: {
    /** Re-chunks and re-embeds one knowledge-base article (or removes its chunks); the event's aggregate is the article. */
    'kb.index-article': EventEnvelope<Record<string, unknown>>;
  };
}

export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = JobPayloads[Q][J];

export const JOB_NAMES: { [Q in QueueName]: readonly JobName<Q>[] } = {
  outbox: [],
  platform: ['platform.probe'],
  tenancy: ['tenancy.purge-tenant'],
  tickets: ['tickets.follow-contact-merge'],
  realtime: ['realtime.push-missed'],
  embeddings: ['kb.index-article'],
};

export interface EventSubscription {
  queue: QueueName;
  job: string;
}

/**
 * Which consumers each committed domain event fans out to. The relay adds one job per
 * subscription with the event id as job id; each consumer acknowledges with a receipt.
 */
export const EVENT_SUBSCRIPTIONS: Record<string, readonly EventSubscription[]> = {
  'platform.probe_requested': [{ queue: 'platform', job: 'platform.probe' }],
  'tenancy.tenant_deletion_requested': [{ queue: 'tenancy', job: 'tenancy.purge-tenant' }],
  'customers.contacts_merged': [{ queue: 'tickets', job: 'tickets.follow-contact-merge' }],
  // Every event agent consoles show (CONSOLE_EVENT_TYPES): the durable path behind the after-commit push.
  ...Object.fromEntries(
    Object.keys(CONSOLE_EVENT_TYPES).map((type): [string, readonly EventSubscription[]] => [type, [{ queue: 'realtime', job: 'realtime.push-missed' }]]),
  ),
  'kb.article_published': [{ queue: 'embeddings', job: 'kb.index-article' }],
  'kb.article_updated': [{ queue: 'embeddings', job: 'kb.index-article' }],
  'kb.article_archived': [{ queue: 'embeddings', job: 'kb.index-article' }],
};

export function subscriptionsFor(eventType: string): readonly EventSubscription[] {
  return EVENT_SUBSCRIPTIONS[eventType] ?? [];
}

export function consumerName(subscription: EventSubscription): string {
  return `${subscription.queue}:${subscription.job}`;
}
