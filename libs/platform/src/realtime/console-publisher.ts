import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { Emitter } from '@socket.io/redis-emitter';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { EventCommitted } from '../outbox/event-committed';
import { contextFrom, inSpan, SpanKind } from '../observability/trace-context';
import type { EventEnvelope } from '../outbox/event-envelope';
import { RealtimeQueue } from '../platform.context';
import { CONSOLE_EVENTS, OnEventSelfAcknowledged, type SelfAcknowledgingEventHandler } from '../queues/job-handler';
import { EventConsumer } from '../outbox/event-consumer';
import { REDIS } from '../redis/redis.module';
import { createRedisClient, isCluster, type RedisClient } from '../redis/redis-client';
import { shardedBroadcast } from './sharded-emitter';
import { ContextRegistry } from '../registry/context-registry';
import type { AnyEventDefinition } from '../registry/events';
import { AGENTS_NAMESPACE, consoleTargets, toConsoleEvent, type ConsoleEvent, type ServerToClientEvents } from './console-events';

/** Sends one event to Socket.IO rooms of the `/agents` namespace, whichever api process holds the sockets. */
export interface ConsolePublisher {
  publish<E extends keyof ServerToClientEvents>(to: string[], event: E, payload: Parameters<ServerToClientEvents[E]>[0]): void;
  /** A context's event, under the name its context mapped it to; `except`: rooms whose sockets must not get it. */
  publishEvent(to: string[], message: ConsoleEvent, except?: string[]): void;
}

export const CONSOLE_PUBLISHER = Symbol('CONSOLE_PUBLISHER');

/** The Redis channel prefix the api's adapter and the worker's emitter share. */
export const socketIoKey = (config: AppConfig) => `${config.QUEUE_PREFIX}:socket.io`;

/** Set once an event was pushed, so the durable path (PushMissedConsoleEventJob) does not push it again. */
export const pushedMarkerKey = (config: AppConfig, eventId: string) => `${config.QUEUE_PREFIX}:rt:pushed:${eventId}`;
const PUSHED_MARKER_TTL_SECONDS = 3600;

function push(registry: ContextRegistry, publisher: ConsolePublisher, event: EventEnvelope): boolean {
  const mapping = registry.consoleMapping(event);
  const message = toConsoleEvent(registry, event);
  if (!mapping || !message) return false;
  for (const target of consoleTargets(mapping, event)) publisher.publishEvent(target.to, message, target.except);
  return true;
}

/**
 * Committed events → agent consoles, in whichever process committed them (the api through its
 * Socket.IO server, the worker through the Redis emitter). Runs after commit, so consoles never
 * see uncommitted state; a push lost to a crash is recovered by the client from the outbox
 * (`GET /v1/events?after=`), see ADR 0006.
 */
@EventsHandler(EventCommitted)
export class PushCommittedEventsToConsoles implements IEventHandler<EventCommitted> {
  private readonly logger = new Logger('Realtime');

  constructor(
    @Inject(CONSOLE_PUBLISHER) private readonly publisher: ConsolePublisher,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ContextRegistry,
  ) {}

  handle({ event }: EventCommitted): void {
    if (!event.traceContext || !this.registry.consoleMapping(event)) return this.pushNow(event);
    // A child of the span that committed the event (the request's, or a job's), so its Redis publish is in that trace.
    const attributes = { 'messaging.system': 'socket.io', 'messaging.operation.type': 'publish', 'messaging.message.id': event.id, 'switchboard.event.type': event.type };
    void inSpan(`console push ${event.type}`, { kind: SpanKind.PRODUCER, parent: contextFrom(event.traceContext), attributes }, async () => this.pushNow(event));
  }

  private pushNow(event: EventEnvelope): void {
    try {
      if (!push(this.registry, this.publisher, event)) return;
      this.redis.set(pushedMarkerKey(this.config, event.id), '1', 'EX', PUSHED_MARKER_TTL_SECONDS).catch(() => undefined);
    } catch (error) {
      this.logger.warn({ err: error, eventId: event.id }, 'Could not push an event to consoles; the worker pushes it from the outbox');
    }
  }
}

/**
 * The durable path behind the after-commit push: every console event also travels outbox →
 * relay → `realtime` queue, and this job pushes it unless the committing process already did
 * (it died between commit and push, or Redis blipped). So connected consoles get every committed
 * event even when a process crashes; duplicates are dropped by clients (eventId).
 */
@OnEventSelfAcknowledged(CONSOLE_EVENTS, { queue: RealtimeQueue, job: 'realtime.push-missed' })
export class PushMissedConsoleEventJob implements SelfAcknowledgingEventHandler<AnyEventDefinition> {
  constructor(
    private readonly consumer: EventConsumer,
    @Inject(CONSOLE_PUBLISHER) private readonly publisher: ConsolePublisher,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ContextRegistry,
  ) {}

  /** Redis first, with no transaction open; then the receipt. A crash between them pushes again, which clients drop by eventId. */
  async handle(event: EventEnvelope, consumer: string): Promise<void> {
    if ((await this.redis.exists(pushedMarkerKey(this.config, event.id))) === 0) push(this.registry, this.publisher, event);
    await this.consumer.once(consumer, event, async () => undefined);
  }
}

/**
 * The worker's publisher: no Socket.IO server of its own, it publishes on the api adapters' channel
 * (PUBLISH through @socket.io/redis-emitter on one server; SPUBLISH in the sharded adapter's format on a cluster).
 */
@Injectable()
export class RedisEmitterPublisher implements ConsolePublisher, OnApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private readonly redis: RedisClient;
  private readonly emitter: Emitter<ServerToClientEvents> | null;
  private readonly key: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Its own connection with an offline queue: a publish during a reconnect is delivered late rather than thrown away.
    this.redis = createRedisClient(config, 'console-emitter', { maxRetriesPerRequest: 2, lazyConnect: false });
    this.redis.on('error', (error: Error) => this.logger.warn(`Console emitter Redis: ${error.message}`));
    this.key = socketIoKey(config);
    // The emitter fires and forgets its publishes; a rejected one must be logged, not crash the worker.
    const publisher = { publish: (channel: string, message: string | Buffer) => this.redis.publish(channel, message).catch((error: Error) => this.lost(error)) };
    this.emitter = isCluster(this.redis) ? null : new Emitter<ServerToClientEvents>(publisher, { key: this.key });
  }

  publish<E extends keyof ServerToClientEvents>(to: string[], event: E, payload: Parameters<ServerToClientEvents[E]>[0]): void {
    if (!this.emitter) return this.spublish(to, [], event, payload);
    (this.emitter.of(AGENTS_NAMESPACE).to(to) as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
  }

  publishEvent(to: string[], message: ConsoleEvent, except: string[] = []): void {
    if (!this.emitter) return this.spublish(to, except, message.event, message.data);
    (this.emitter.of(AGENTS_NAMESPACE).to(to).except(except) as unknown as { emit(e: string, p: unknown): void }).emit(message.event, message.data);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private spublish(to: string[], except: string[], event: string, data: unknown): void {
    const { channel, message } = shardedBroadcast(this.key, AGENTS_NAMESPACE, to, except, event, data);
    this.redis.spublish(channel, message).catch((error: Error) => this.lost(error));
  }

  private lost(error: Error): void {
    this.logger.warn(`Console push lost (clients replay it): ${error.message}`);
  }
}
