import { Inject, Injectable, Logger } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { APP_CONFIG, REDIS, socketIoKey, type AppConfig } from '@switchboard/platform';
import type { Redis } from 'ioredis';
import { VISITOR_NAMESPACE, visitorRoom } from '../domain/widget';
import type { VisitorMessage } from '../repositories/widget-sessions.repository';

/** What a visitor socket receives. */
export interface VisitorServerEvents {
  message: (message: VisitorMessage) => void;
}

/**
 * Pushes to a visitor's room on the `/visitor` namespace through the Redis emitter, so it reaches
 * the socket whichever api process holds it, from the api or the worker alike (the api's Socket.IO
 * adapter listens on the same channel).
 */
@Injectable()
export class VisitorPush {
  private readonly logger = new Logger(VisitorPush.name);
  private readonly emitter: Emitter<VisitorServerEvents>;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    const publisher = { publish: (channel: string, message: string | Buffer) => redis.publish(channel, message).catch((error: Error) => this.logger.warn(`Visitor push lost (the visitor reloads the history): ${error.message}`)) };
    this.emitter = new Emitter<VisitorServerEvents>(publisher, { key: socketIoKey(config) });
  }

  message(tenantId: string, sessionId: string, message: VisitorMessage): void {
    this.emitter.of(VISITOR_NAMESPACE).to(visitorRoom(tenantId, sessionId)).emit('message', message);
  }
}
