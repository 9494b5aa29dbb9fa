import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { duplicateRedisClient, type RedisClient } from '../redis/redis-client';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { Metrics } from '../observability/metrics';
import { REDIS } from '../redis/redis.module';
import { InvalidatedCache, type InvalidatedCacheOptions, type InvalidationFeed } from './invalidated-cache';

const WARN_EVERY_MS = 60_000;

interface Message {
  topic: string;
  key: string;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

const parse = (raw: string): Message | null => {
  try {
    const m = JSON.parse(raw) as Partial<Message>;
    return typeof m.topic === 'string' && typeof m.key === 'string' ? { topic: m.topic, key: m.key } : null;
  } catch {
    return null;
  }
};

/**
 * Invalidation of process-local caches across every process, over Redis pub/sub.
 *
 * A command that changed something a cache holds calls `publish(topic, key)` after its commit:
 * this process's caches on that topic drop the key at once, and a PUBLISH on
 * `<QUEUE_PREFIX>:invalidations` tells every other process. Each process that reads a cache holds
 * one dedicated subscriber connection (a duplicate of the shared client, opened on first read, so
 * a worker that only publishes never opens one).
 *
 * Pub/sub has no memory: a message sent while a subscriber is disconnected is lost. So a cache is
 * served from memory only while its subscriber is connected and subscribed; every (re)connect
 * and every loss of the connection clears all caches, and loads in flight across such a moment
 * are not kept.
 */
@Injectable()
export class InvalidationBus implements InvalidationFeed, OnApplicationShutdown {
  private readonly logger = new Logger('InvalidationBus');
  private readonly channel: string;
  private readonly topics = new Map<string, InvalidatedCache<unknown>[]>();
  private readonly listeners = new Map<string, ((key: string) => void)[]>();
  private subscriber: RedisClient | null = null;
  /** Counts connections, so a SUBSCRIBE answered after its connection dropped does not go live. */
  private connection = 0;
  private closed = false;
  private isLive = false;
  private lastSubscriberWarnAt = -Infinity;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.channel = `${config.QUEUE_PREFIX}:invalidations`;
  }

  get live(): boolean {
    return this.isLive;
  }

  /** A cache whose entries `publish(topic, key)` drops, in this process and every other. */
  cache<V>(topic: string, options: Omit<InvalidatedCacheOptions, 'onLookup'>): InvalidatedCache<V> {
    const cache = new InvalidatedCache<V>(this, { ...options, onLookup: (result) => this.metrics?.cacheLookups.inc({ cache: options.name, result }) });
    this.topics.set(topic, [...(this.topics.get(topic) ?? []), cache as InvalidatedCache<unknown>]);
    return cache;
  }

  /**
   * Calls `listener(key)` after this topic's caches dropped `key`, for changes made here and on
   * every other process (e.g. to re-check open sockets at once). Opens the subscriber. A listener
   * that throws is logged and does not stop the others.
   */
  onInvalidate(topic: string, listener: (key: string) => void): void {
    this.listeners.set(topic, [...(this.listeners.get(topic) ?? []), listener]);
    this.start();
  }

  /**
   * After a committed change: drops `key` from this topic's caches here, then tells the other
   * processes. Never throws: if Redis refuses, the others keep their entries until their TTL
   * (logged), and the change itself stands.
   */
  async publish(topic: string, key: string): Promise<void> {
    this.invalidate(topic, key);
    try {
      await this.redis.publish(this.channel, JSON.stringify({ topic, key } satisfies Message));
    } catch (error) {
      // Not throttled: changes are rare, and each one that did not reach the others matters.
      this.logger.warn({ err: errorText(error), topic, key }, 'Could not publish a cache invalidation; other processes drop their entries when they expire');
    }
  }

  start(): void {
    if (this.subscriber || this.closed) return;
    // Our own SUBSCRIBE on every `ready` (not ioredis's automatic one), so we know when it holds.
    const subscriber = duplicateRedisClient(this.redis, { autoResubscribe: false, enableOfflineQueue: false, connectionName: 'invalidations' });
    this.subscriber = subscriber;
    subscriber.on('ready', () => void this.subscribe(subscriber));
    subscriber.on('close', () => this.lost());
    subscriber.on('error', (error: unknown) => this.subscriberWarning(error, 'Invalidation subscriber: RedisClient error; caches are bypassed until it reconnects'));
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      const message = parse(raw);
      if (message) this.invalidate(message.topic, message.key);
      else this.clearAll(); // A message we cannot read: dropping everything is always safe.
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.isLive = false;
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private async subscribe(subscriber: RedisClient): Promise<void> {
    const connection = ++this.connection;
    try {
      await subscriber.subscribe(this.channel);
    } catch (error) {
      this.subscriberWarning(error, 'Invalidation subscriber: SUBSCRIBE failed; caches are bypassed until it reconnects');
      return;
    }
    if (connection !== this.connection || this.closed) return;
    // Whatever was published while we were away is lost: start from empty.
    this.clearAll();
    this.isLive = true;
  }

  private lost(): void {
    this.connection++;
    this.isLive = false;
    this.clearAll();
  }

  private invalidate(topic: string, key: string): void {
    for (const cache of this.topics.get(topic) ?? []) cache.invalidate(key);
    for (const listener of this.listeners.get(topic) ?? []) {
      try {
        listener(key);
      } catch (error) {
        this.logger.warn({ err: errorText(error), topic }, 'An invalidation listener failed');
      }
    }
  }

  private clearAll(): void {
    for (const caches of this.topics.values()) for (const cache of caches) cache.clear();
  }

  /** Once a minute at most: while Redis is down the client reports every reconnect attempt. */
  private subscriberWarning(error: unknown, message: string): void {
    if (performance.now() - this.lastSubscriberWarnAt < WARN_EVERY_MS) return;
    this.lastSubscriberWarnAt = performance.now();
    this.logger.warn({ err: errorText(error) }, message);
  }
}
