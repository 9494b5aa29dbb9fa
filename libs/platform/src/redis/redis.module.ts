import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { createQueueConnection, createRedisClient, isCluster, type RedisClient } from './redis-client';

export const REDIS = Symbol('REDIS');
/** BullMQ's connection: options on a single server, one shared `Redis.Cluster` on a cluster (see createQueueConnection). */
export const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');

const quit = (client: RedisClient) => client.quit().then(() => undefined, () => client.disconnect());

/** Closes the shared clients last, after queues and HTTP have drained. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(QUEUE_CONNECTION) private readonly queueConnection: ReturnType<typeof createQueueConnection>,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    const queues = this.queueConnection;
    await Promise.all([quit(this.redis), 'url' in queues || !isCluster(queues) ? undefined : quit(queues)]);
  }
}

/** One shared client for commands (idempotency, health, metrics); BullMQ opens its own (or, on a cluster, shares QUEUE_CONNECTION). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): RedisClient =>
        createRedisClient(config, 'commands', {
          maxRetriesPerRequest: 2,
          connectTimeout: 5_000,
          enableOfflineQueue: false,
          lazyConnect: false,
        }),
    },
    { provide: QUEUE_CONNECTION, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createQueueConnection(config) },
    RedisCloser,
  ],
  exports: [REDIS, QUEUE_CONNECTION],
})
export class RedisModule {}
