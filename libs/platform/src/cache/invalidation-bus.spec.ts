import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/config.schema';
import { InvalidationBus } from './invalidation-bus';

const CHANNEL = 'test:invalidations';

/** The subscriber connection: connects and drops when told to, answers SUBSCRIBE when told to. */
class FakeSubscriber extends EventEmitter {
  status = 'connecting';
  subscribed: string[] = [];
  pendingSubscribe: (() => void) | null = null;
  autoAnswer = true;
  options: unknown;

  subscribe(channel: string): Promise<number> {
    return new Promise((resolve) => {
      const answer = () => {
        this.subscribed.push(channel);
        resolve(1);
      };
      if (this.autoAnswer) answer();
      else this.pendingSubscribe = answer;
    });
  }
  connect() {
    this.status = 'ready';
    this.emit('ready');
  }
  drop() {
    this.status = 'reconnecting';
    this.subscribed = [];
    this.emit('error', new Error('Connection is closed.'));
    this.emit('close');
  }
  deliver(message: string, channel = CHANNEL) {
    this.emit('message', channel, message);
  }
  async quit() {
    this.status = 'end';
    return 'OK';
  }
  disconnect() {}
}

function setup() {
  const subscriber = new FakeSubscriber();
  const published: [string, string][] = [];
  let publishFails = false;
  const redis = {
    duplicate(options: unknown) {
      subscriber.options = options;
      return subscriber;
    },
    async publish(channel: string, message: string) {
      if (publishFails) throw new Error('Connection is closed.');
      published.push([channel, message]);
      return 1;
    },
  };
  const bus = new InvalidationBus({ QUEUE_PREFIX: 'test' } as AppConfig, redis as unknown as Redis);
  const cache = bus.cache<string>('access', { name: 'members', ttlMs: 60_000, maxEntries: 100 });
  let reads = 0;
  /** Reads "the database": every call is one load. */
  const read = (key: string, value: string, tenant = 'acme') =>
    cache.get(key, async () => {
      reads++;
      return { value, cacheUnder: tenant };
    });
  const flush = () => new Promise((r) => setImmediate(r));
  return { bus, subscriber, published, read, reads: () => reads, flush, failPublish: (f: boolean) => (publishFails = f) };
}

describe('InvalidationBus', () => {
  it('opens its subscriber on first read, subscribes on ready, and only then serves from memory', async () => {
    const { bus, subscriber, read, reads, flush } = setup();
    expect(bus.live).toBe(false);
    await read('acme:1', 'agent');
    expect(subscriber.options).toMatchObject({ autoResubscribe: false });
    await read('acme:1', 'agent');
    expect(reads()).toBe(2); // not connected yet: both loaded
    subscriber.connect();
    await flush();
    expect(subscriber.subscribed).toEqual([CHANNEL]);
    expect(bus.live).toBe(true);
    await read('acme:1', 'agent');
    await read('acme:1', 'agent');
    expect(reads()).toBe(3);
  });

  it('drops entries when another process publishes their key', async () => {
    const { subscriber, read, reads, flush } = setup();
    await read('x', 'x');
    subscriber.connect();
    await flush();
    await read('acme:1', 'agent');
    await read('globex:1', 'owner', 'globex');
    subscriber.deliver(JSON.stringify({ topic: 'access', key: 'acme' }));
    expect(await read('acme:1', 'viewer')).toBe('viewer');
    expect(await read('globex:1', 'changed', 'globex')).toBe('owner');
    // Other topics and channels leave it alone; an unreadable message clears everything.
    subscriber.deliver(JSON.stringify({ topic: 'other', key: 'acme' }));
    subscriber.deliver(JSON.stringify({ topic: 'access', key: 'acme' }), 'elsewhere');
    expect(await read('acme:1', 'agent')).toBe('viewer');
    subscriber.deliver('garbage');
    expect(await read('globex:1', 'changed', 'globex')).toBe('changed');
    expect(reads()).toBe(5);
  });

  it('publishes after dropping its own entries, and never throws when Redis refuses', async () => {
    const { bus, subscriber, published, read, reads, flush, failPublish } = setup();
    await read('x', 'x');
    subscriber.connect();
    await flush();
    await read('acme:1', 'agent');
    await bus.publish('access', 'acme');
    expect(published).toEqual([[CHANNEL, JSON.stringify({ topic: 'access', key: 'acme' })]]);
    expect(await read('acme:1', 'viewer')).toBe('viewer');
    failPublish(true);
    await expect(bus.publish('access', 'acme')).resolves.toBeUndefined();
    expect(await read('acme:1', 'admin')).toBe('admin'); // this process still dropped it
    expect(reads()).toBe(4);
  });

  it('bypasses the cache while the subscriber is down, and starts empty when it is back', async () => {
    const { bus, subscriber, read, reads, flush } = setup();
    await read('x', 'x');
    subscriber.connect();
    await flush();
    await read('acme:1', 'agent');
    subscriber.drop();
    expect(bus.live).toBe(false);
    // A change published now would never reach this process: every read goes to the database.
    expect(await read('acme:1', 'viewer')).toBe('viewer');
    expect(await read('acme:1', 'admin')).toBe('admin');
    subscriber.connect();
    await flush();
    expect(bus.live).toBe(true);
    expect(await read('acme:1', 'owner')).toBe('owner'); // what was cached before the drop is gone
    expect(await read('acme:1', 'never read')).toBe('owner');
    expect(reads()).toBe(5);
  });

  it('does not go live on a SUBSCRIBE answered after its connection dropped', async () => {
    const { bus, subscriber, flush, read } = setup();
    await read('x', 'x');
    subscriber.autoAnswer = false;
    subscriber.connect();
    subscriber.drop();
    subscriber.pendingSubscribe!();
    await flush();
    expect(bus.live).toBe(false);
    subscriber.autoAnswer = true;
    subscriber.connect();
    await flush();
    expect(bus.live).toBe(true);
  });

  it('closes its subscriber on shutdown and does not serve from memory afterwards', async () => {
    const { bus, subscriber, flush, read } = setup();
    await read('x', 'x');
    subscriber.connect();
    await flush();
    await bus.onApplicationShutdown();
    expect(subscriber.status).toBe('end');
    expect(bus.live).toBe(false);
  });
});
