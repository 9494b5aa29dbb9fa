import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/config.schema';

/** A connection to the deployment's Redis: one server (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). */
export type RedisClient = Redis | Cluster;

/**
 * What a connection is for. On a cluster it decides what the client needs beyond commands: the
 * Socket.IO subscriber opens one subscriber connection per shard for sharded pub/sub.
 */
export type RedisPurpose = 'commands' | 'queues' | 'console-emitter' | 'socket-io-pub' | 'socket-io-sub' | 'invalidations';

type RedisConfig = Pick<AppConfig, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>;

export const isCluster = (client: RedisClient): client is Cluster => (client as { isCluster?: boolean }).isCluster === true;

/** Credentials and TLS of REDIS_URL, for the cluster's node connections (its host and port are not used). */
function credentialsOf(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * The one place the apps open Redis connections. Single server: `new Redis(REDIS_URL, options)`,
 * exactly as before clusters were supported. Cluster: `Redis.Cluster` over the startup nodes with
 * the same options for every node connection; `lazyConnect` and `enableOfflineQueue` are the
 * cluster's own options there.
 */
export function createRedisClient(config: RedisConfig, purpose: RedisPurpose, options: RedisOptions = {}): RedisClient {
  const nodes = config.REDIS_CLUSTER_NODES;
  if (!nodes) return new Redis(config.REDIS_URL, options);
  const { lazyConnect, enableOfflineQueue, ...nodeOptions } = options;
  const clusterOptions: ClusterOptions = {
    redisOptions: { ...credentialsOf(config.REDIS_URL), ...nodeOptions },
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    // SSUBSCRIBE goes to the shard that owns the channel's slot: one subscriber connection per shard.
    shardedSubscribers: purpose === 'socket-io-sub',
  };
  return new Cluster(nodes, clusterOptions);
}

/** A second connection like `client` (e.g. a subscriber beside the shared command client), with `options` on top. */
export function duplicateRedisClient(client: RedisClient, options: RedisOptions = {}): RedisClient {
  if (!isCluster(client)) return client.duplicate(options);
  const { lazyConnect, enableOfflineQueue, ...nodeOptions } = options;
  return client.duplicate([], {
    ...client.options,
    redisOptions: { ...client.options.redisOptions, ...nodeOptions },
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
  });
}

/**
 * BullMQ's connection. Single server: options, so that every queue and worker opens its own
 * connections as before. Cluster: one shared `Redis.Cluster` (BullMQ cannot build a cluster from
 * options); workers duplicate it for their blocking connections, and whoever created it closes it.
 */
export function createQueueConnection(config: RedisConfig): { url: string; maxRetriesPerRequest: null } | Cluster {
  if (!config.REDIS_CLUSTER_NODES) return { url: config.REDIS_URL, maxRetriesPerRequest: null };
  // No per-command retry limit: BullMQ's blocking connections require it, and they are duplicates of this one.
  return createRedisClient(config, 'queues', { maxRetriesPerRequest: null }) as Cluster;
}

/**
 * The primaries of a cluster, or the one server: what a SCAN over every key must visit (a
 * cluster's SCAN answers for one node only).
 */
export function primaries(client: RedisClient): Redis[] {
  return isCluster(client) ? client.nodes('master') : [client];
}
