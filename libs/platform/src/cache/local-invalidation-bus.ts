import { InvalidatedCache, type InvalidatedCacheOptions, type InvalidationFeed } from './invalidated-cache';
import type { InvalidationBus } from './invalidation-bus';

/**
 * The invalidation bus without Redis, for unit tests: every cache made from it is one "process",
 * `publish` drops the key in all of them (topics are not told apart), and `feed.live` can be
 * switched off to act as a process that is not subscribed.
 */
export function localInvalidationBus(): { bus: InvalidationBus; feed: InvalidationFeed & { live: boolean }; published: string[] } {
  const feed = { live: true, start() {} };
  const caches: InvalidatedCache<unknown>[] = [];
  const published: string[] = [];
  const listeners: ((key: string) => void)[] = [];
  const bus = {
    onInvalidate(_topic: string, listener: (key: string) => void) {
      listeners.push(listener);
    },
    cache<V>(_topic: string, options: Omit<InvalidatedCacheOptions, 'onLookup'>) {
      const cache = new InvalidatedCache<V>(feed, options);
      caches.push(cache as InvalidatedCache<unknown>);
      return cache;
    },
    async publish(topic: string, key: string) {
      published.push(`${topic}:${key}`);
      for (const cache of caches) cache.invalidate(key);
      for (const listener of listeners) listener(key);
    },
  };
  return { bus: bus as unknown as InvalidationBus, feed, published };
}
