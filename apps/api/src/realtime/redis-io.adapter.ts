import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { socketIoKey, type AppConfig } from '@switchboard/platform';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Socket.IO on whatever HTTP server Nest runs (express or fastify), fanned out across api
 * processes through Redis pub/sub; the worker's emitter publishes on the same channel.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
    this.pub = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
    this.sub = this.pub.duplicate();
    for (const client of [this.pub, this.sub]) client.on('error', () => undefined);
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
    if (this.config.REALTIME_ADAPTER === 'redis') server.adapter(createAdapter(this.pub, this.sub, { key: socketIoKey(this.config) }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all([this.pub, this.sub].map((c) => c.quit().catch(() => c.disconnect())));
  }
}
