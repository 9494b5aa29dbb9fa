import { Cluster, Redis } from 'ioredis';
import { createQueueConnection, createRedisClient, duplicateRedisClient, isCluster, primaries, type RedisClient } from './redis-client';

const single = { REDIS_URL: 'redis://:s3cret@10.0.0.9:6390/2', REDIS_CLUSTER_NODES: undefined };
const cluster = { REDIS_URL: 'rediss://app:p%40ss@ignored:6379', REDIS_CLUSTER_NODES: [{ host: 'redis-1', port: 7000 }, { host: '::1', port: 7001 }] };

describe('createRedisClient', () => {
  const opened: RedisClient[] = [];
  // Nothing listens on these addresses: the clients never connect, and their connection errors are not the point.
  const track = <C extends RedisClient>(c: C): C => (opened.push(c), c.on('error', () => undefined), c);
  afterEach(() => {
    for (const c of opened.splice(0)) c.disconnect();
  });

  it('opens REDIS_URL with the given options on a single server, as before clusters existed', () => {
    const client = track(createRedisClient(single, 'commands', { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false }));
    expect(client).toBeInstanceOf(Redis);
    expect(isCluster(client)).toBe(false);
    expect((client as Redis).options).toMatchObject({ host: '10.0.0.9', port: 6390, db: 2, password: 's3cret', maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: true });
    expect(primaries(client)).toEqual([client]);
    expect(createQueueConnection(single)).toEqual({ url: single.REDIS_URL, maxRetriesPerRequest: null });
  });

  it('opens a Redis.Cluster over the startup nodes, with REDIS_URL’s credentials and TLS for every node', () => {
    const client = track(createRedisClient(cluster, 'commands', { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false, connectTimeout: 5_000 }));
    expect(client).toBeInstanceOf(Cluster);
    expect(isCluster(client)).toBe(true);
    const { options } = client as Cluster;
    expect((client as unknown as { startupNodes: unknown }).startupNodes).toEqual(cluster.REDIS_CLUSTER_NODES);
    expect(options).toMatchObject({ lazyConnect: true, enableOfflineQueue: false, shardedSubscribers: false });
    expect(options.redisOptions).toEqual({ username: 'app', password: 'p@ss', tls: {}, maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  });

  it('gives only the Socket.IO subscriber sharded subscriptions, and duplicates keep the node options', () => {
    const sub = track(createRedisClient(cluster, 'socket-io-sub', { lazyConnect: true }) as Cluster);
    expect(sub.options.shardedSubscribers).toBe(true);
    const shared = track(createRedisClient(cluster, 'commands', { lazyConnect: true, maxRetriesPerRequest: 2 }));
    const subscriber = track(duplicateRedisClient(shared, { autoResubscribe: false, connectionName: 'invalidations', enableOfflineQueue: false }) as Cluster);
    expect(subscriber).toBeInstanceOf(Cluster);
    expect(subscriber.options).toMatchObject({ lazyConnect: true, enableOfflineQueue: false });
    expect(subscriber.options.redisOptions).toMatchObject({ password: 'p@ss', maxRetriesPerRequest: 2, autoResubscribe: false, connectionName: 'invalidations' });
  });

  it('gives BullMQ one shared cluster client without a per-command retry limit', () => {
    const connection = createQueueConnection({ ...cluster, REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(connection).toBeInstanceOf(Cluster);
    const client = track(connection as Cluster);
    expect(client.options.redisOptions).toMatchObject({ maxRetriesPerRequest: null });
  });
});
