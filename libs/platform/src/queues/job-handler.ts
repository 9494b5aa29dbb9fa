import { SetMetadata, applyDecorators, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { TenantTx } from '../database/tenant-transaction';
import type { JobDefinition, QueueDefinition } from '../registry/context';
import type { ContextRegistry } from '../registry/context-registry';
import type { AnyEventDefinition, EnvelopeOf } from '../registry/events';

export const JOB_HANDLER = Symbol('JOB_HANDLER');
export const EVENT_HANDLER = Symbol('EVENT_HANDLER');

export interface JobHandlerMeta {
  queue: string;
  job: string;
}

export interface JobHandler<P = unknown> {
  handle(payload: P, job: Job): Promise<void>;
}

type Constructor<T> = new (...args: never[]) => T;

/** Marks a provider as the handler of one declared (non-event) job; discovered at worker boot. */
export function HandlesJob<P>(definition: JobDefinition<P>): <T extends Constructor<JobHandler<P>>>(target: T) => void {
  return applyDecorators(Injectable(), SetMetadata(JOB_HANDLER, { queue: definition.queue, job: definition.name } satisfies JobHandlerMeta));
}

/** Subscribes to every event that some context maps to agent consoles (the platform's durable console push). */
export const CONSOLE_EVENTS = Symbol('CONSOLE_EVENTS');

export interface EventHandlerMeta {
  events: readonly AnyEventDefinition[] | typeof CONSOLE_EVENTS;
  queue: string;
  job: string;
  receipt: 'platform' | 'handler';
}

/**
 * A durable reaction to a committed event: it runs in the worker, in the event's tenant, inside a
 * transaction that also writes the consumer's receipt, so its effect happens exactly once however
 * often the event is delivered.
 */
export interface DurableEventHandler<D extends AnyEventDefinition> {
  handle(event: EnvelopeOf<D>, tx: TenantTx): Promise<void>;
}

/**
 * A durable reaction that cannot run inside one transaction (it calls out between reading and
 * writing): it gets its consumer name and writes the receipt itself with `EventConsumer.once`.
 */
export interface SelfAcknowledgingEventHandler<D extends AnyEventDefinition> {
  handle(event: EnvelopeOf<D>, consumer: string): Promise<void>;
}

export interface EventSubscriptionOptions {
  /** The queue of the subscribing context that carries the event to the handler. */
  queue: QueueDefinition;
  /** The consumer's job name, unique in its queue; with the queue it names the receipt (`queue:job`). */
  job: string;
}

type Handles<D extends AnyEventDefinition> = AnyEventDefinition extends D ? EventHandlerMeta['events'] : D | readonly D[];

/**
 * Subscribes the decorated provider to committed events of another (or its own) context, through
 * the outbox: relay → the given queue → `handle(event, tx)` with a receipt. The subscription is
 * declared here, beside its handler; the relay's routes are assembled from these at boot.
 */
export function OnEvent<D extends AnyEventDefinition>(
  events: D | readonly D[] | typeof CONSOLE_EVENTS,
  options: EventSubscriptionOptions,
): <T extends Constructor<DurableEventHandler<D>>>(target: T) => void {
  return subscribe(events as Handles<D>, options, 'platform');
}

/** Like `OnEvent`, for a handler that writes its own receipt (see SelfAcknowledgingEventHandler). */
export function OnEventSelfAcknowledged<D extends AnyEventDefinition>(
  events: D | readonly D[] | typeof CONSOLE_EVENTS,
  options: EventSubscriptionOptions,
): <T extends Constructor<SelfAcknowledgingEventHandler<D>>>(target: T) => void {
  return subscribe(events as Handles<D>, options, 'handler');
}

function subscribe(events: AnyEventDefinition | readonly AnyEventDefinition[] | typeof CONSOLE_EVENTS, options: EventSubscriptionOptions, receipt: EventHandlerMeta['receipt']) {
  const list = events === CONSOLE_EVENTS ? CONSOLE_EVENTS : Array.isArray(events) ? events : [events as AnyEventDefinition];
  return applyDecorators(Injectable(), SetMetadata(EVENT_HANDLER, { events: list, queue: options.queue.name, job: options.job, receipt } satisfies EventHandlerMeta));
}

/** The events a subscription covers, once the registry is known. */
export function subscribedEvents(meta: EventHandlerMeta, registry: ContextRegistry): AnyEventDefinition[] {
  if (meta.events === CONSOLE_EVENTS) return registry.consoleEventTypes.map((type) => registry.event(type)!);
  return [...meta.events];
}
