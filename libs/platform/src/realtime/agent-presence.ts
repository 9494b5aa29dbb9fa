import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-client';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import type { PresenceStatus } from './console-events';
import { PresenceStore } from './presence.store';

/** The Redis key prefix of console presence, shared by the gateway that writes it and the readers. */
export const presencePrefix = (config: AppConfig) => `${config.QUEUE_PREFIX}:rt:`;

/**
 * Published on the in-process EventBus by the api process holding the socket whenever an agent's
 * console presence may have changed (connect, `presence.set`, disconnect, expiry). Like every
 * in-process event it may be lost; contexts that react to it must tolerate that.
 */
export class AgentPresenceChanged {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly status: PresenceStatus,
  ) {}
}

/**
 * Reads console presence (kept in Redis by the api's gateway) from any process: for rules that
 * depend on who is at their console. Never call it inside a database transaction.
 */
@Injectable()
export class AgentPresenceReader {
  private readonly store: PresenceStore;

  constructor(@Inject(REDIS) redis: RedisClient, @Inject(APP_CONFIG) config: AppConfig) {
    this.store = new PresenceStore(redis, presencePrefix(config), config.REALTIME_PRESENCE_TTL_MS, config.REALTIME_TYPING_TTL_MS);
  }

  /** Every agent of the tenant with a live console; anyone absent is offline. */
  async statuses(tenantId: string): Promise<Map<string, PresenceStatus>> {
    return new Map((await this.store.agents(tenantId)).map((a) => [a.userId, a.status]));
  }
}
