import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createRedisClient, isCluster, socketIoKey, type AppConfig, type RedisClient } from '@switchboard/platform';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Socket.IO on whatever HTTP server Nest runs (express or fastify), fanned out across api
 * processes through Redis pub/sub; the worker's emitter publishes on the same channel. On a Redis
 * Cluster, sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7): a channel lives on the shard of its
 * slot instead of every message being copied to every node.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly pub: RedisClient;
  private readonly sub: RedisClient;

  /**
   * Connected first: the adapter subscribes as it is created, and a subscription queued on a
   * connection that is still being established can be dropped for good under load (seen in tests:
   * one api process silently deaf to the others). On a ready connection ioredis also re-subscribes
   * by itself after any reconnect.
   */
  static async connect(app: INestApplicationContext, config: AppConfig): Promise<RedisIoAdapter> {
    const adapter = new RedisIoAdapter(app, config);
    if (config.REALTIME_ADAPTER === 'redis') {
      const ready = (c: RedisClient) => (c.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => c.once('ready', () => resolve())));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Socket.IO could not connect to Redis at ${config.REDIS_URL} within 20 s`)), 20_000);
      });
      try {
        await Promise.race([Promise.all([ready(adapter.pub), ready(adapter.sub)]), timeout]);
      } finally {
        clearTimeout(timer);
      }
    }
    return adapter;
  }

  private constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
    // No per-command retry limit: a publish or subscribe waits out a reconnect instead of being dropped.
    const options = { maxRetriesPerRequest: null, lazyConnect: config.REALTIME_ADAPTER !== 'redis' };
    this.pub = createRedisClient(config, 'socket-io-pub', options);
    this.sub = isCluster(this.pub) ? createRedisClient(config, 'socket-io-sub', options) : this.pub.duplicate();
    const logger = new Logger('RedisIoAdapter');
    // ioredis reconnects and re-subscribes by itself; say so once per failure instead of crashing.
    for (const [name, client] of [['publisher', this.pub], ['subscriber', this.sub]] as const) {
      client.on('error', (error: Error) => logger.warn(`Socket.IO Redis ${name}: ${error.message}`));
      // The Socket.IO adapter fires its PUBLISH and (P)UNSUBSCRIBE commands and forgets them (each
      // namespace's adapter unsubscribes at close, as the connections close): a command the closing
      // connection fails must not end the process as an unhandled rejection. Callers that await a
      // command still see its error.
      const send = client.sendCommand.bind(client) as (...args: unknown[]) => unknown;
      (client as { sendCommand: (...args: unknown[]) => unknown }).sendCommand = (...args: unknown[]) => {
        (args[0] as { promise?: Promise<unknown> }).promise?.catch((error: Error) => logger.debug(`Socket.IO Redis ${name} command failed: ${error.message}`));
        return send(...args);
      };
    }
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      // The engine's hard cap closes the transport; smaller oversized events get a reason first (the gateway's check).
      maxHttpBufferSize: Math.max(16 * 1024, this.config.REALTIME_MAX_PAYLOAD_BYTES * 4),
      pingInterval: 10_000,
      pingTimeout: 10_000,
      cors: this.config.CORS_ORIGINS.length > 0 ? { origin: this.config.CORS_ORIGINS.includes('*') ? true : this.config.CORS_ORIGINS } : undefined,
    } as ServerOptions);
    if (this.config.REALTIME_ADAPTER === 'redis') {
      // The prefix's hash tag puts every channel of the namespace on one shard, so its subscriber holds one connection.
      server.adapter(isCluster(this.pub) ? createShardedAdapter(this.pub, this.sub, { channelPrefix: socketIoKey(this.config) }) : createAdapter(this.pub, this.sub, { key: socketIoKey(this.config) }));
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all([this.pub, this.sub].map((c) => (c.status === 'wait' ? c.disconnect() : c.quit().catch(() => c.disconnect()))));
  }
}
