import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { EventConsumer } from '../outbox/event-consumer';
import type { EventEnvelope } from '../outbox/event-envelope';
import { ContextRegistry, RegistrationError } from '../registry/context-registry';
import {
  EVENT_HANDLER,
  JOB_HANDLER,
  subscribedEvents,
  type DurableEventHandler,
  type EventHandlerMeta,
  type JobHandler,
  type JobHandlerMeta,
  type SelfAcknowledgingEventHandler,
} from './job-handler';

export class MissingJobHandlerError extends Error {}

/** One event's way to one consumer: the relay adds a job `job` on `queue` with the event id as job id. */
export interface EventSubscription {
  queue: string;
  job: string;
}

export function consumerName(subscription: EventSubscription): string {
  return `${subscription.queue}:${subscription.job}`;
}

type Registered =
  | { kind: 'job'; handler: JobHandler }
  | { kind: 'event'; handler: DurableEventHandler<never> | SelfAcknowledgingEventHandler<never>; meta: EventHandlerMeta };

/**
 * Finds every `@HandlesJob` and `@OnEvent` provider of the worker and routes jobs to them; the
 * `@OnEvent` declarations are also the relay's routes. Checked at boot against the registry: a
 * handler for an undeclared queue, job or event, or two handlers for one job, stop the worker.
 */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, Registered>();
  private readonly routes = new Map<string, EventSubscription[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly registry: ContextRegistry,
    private readonly consumer: EventConsumer,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const job = this.reflector.get<JobHandlerMeta | undefined>(JOB_HANDLER, wrapper.metatype);
      if (job) {
        if (!this.registry.hasJob(job.queue, job.job)) throw new RegistrationError(`${wrapper.name} handles job ${job.queue}/${job.job}, which no context declares`);
        this.add(job.queue, job.job, { kind: 'job', handler: wrapper.instance as JobHandler });
      }
      const subscription = this.reflector.get<EventHandlerMeta | undefined>(EVENT_HANDLER, wrapper.metatype);
      if (subscription) this.subscribe(String(wrapper.name), subscription, wrapper.instance as DurableEventHandler<never>);
    }
  }

  private subscribe(name: string, meta: EventHandlerMeta, handler: DurableEventHandler<never>): void {
    if (!this.registry.hasQueue(meta.queue)) throw new RegistrationError(`${name} subscribes through queue "${meta.queue}", which no context declares`);
    if (this.registry.hasJob(meta.queue, meta.job)) throw new RegistrationError(`${name}: ${meta.queue}/${meta.job} is a declared job, not an event subscription`);
    this.add(meta.queue, meta.job, { kind: 'event', handler, meta });
    for (const event of subscribedEvents(meta, this.registry)) {
      if (!this.registry.hasEvent(event)) throw new RegistrationError(`${name} subscribes to "${event.type}", which no registered context declares`);
      const routes = this.routes.get(event.type) ?? [];
      routes.push({ queue: meta.queue, job: meta.job });
      this.routes.set(event.type, routes);
    }
  }

  private add(queue: string, job: string, registered: Registered): void {
    const key = `${queue}/${job}`;
    if (this.handlers.has(key)) throw new RegistrationError(`Two handlers registered for job ${key}`);
    this.handlers.set(key, registered);
  }

  /** Which consumers a committed event of this type fans out to. */
  subscriptionsFor(eventType: string): readonly EventSubscription[] {
    return this.routes.get(eventType) ?? [];
  }

  /** A worker consuming `queue` must be able to run every job declared for it. */
  assertComplete(queue: string): void {
    const missing = this.registry
      .jobsOf(queue)
      .map((job) => job.name)
      .filter((job) => !this.handlers.has(`${queue}/${job}`));
    if (missing.length > 0) {
      throw new MissingJobHandlerError(`Queue "${queue}" has jobs without a handler: ${missing.join(', ')}`);
    }
  }

  async dispatch(queue: string, job: Job): Promise<void> {
    const registered = this.handlers.get(`${queue}/${job.name}`);
    if (!registered) throw new MissingJobHandlerError(`No handler for job ${queue}/${job.name}`);
    if (registered.kind === 'job') return registered.handler.handle(job.data, job);
    const event = job.data as EventEnvelope<never>;
    const consumer = consumerName({ queue, job: job.name });
    if (registered.meta.receipt === 'handler') return (registered.handler as SelfAcknowledgingEventHandler<never>).handle(event, consumer);
    await this.consumer.once(consumer, event, (tx) => (registered.handler as DurableEventHandler<never>).handle(event, tx));
  }
}
