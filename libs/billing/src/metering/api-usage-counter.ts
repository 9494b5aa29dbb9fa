import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, REDIS, type AppConfig } from '@switchboard/platform';
import type { RedisClient } from '@switchboard/platform';

/** Counts are kept a day in Redis at most: a worker down longer loses them (the meter is not the rate limiter). */
const KEY_TTL_S = 24 * 3600;
const PUSH_EVERY_MS = 1_000;

/** `YYYY-MM-DDTHH:MMZ`: the minute a request is counted in. */
export const minuteOf = (at: number) => new Date(at - (at % 60_000)).toISOString().slice(0, 16) + 'Z';

/** An endpoint group: the first path segment after the version (`/v1/tickets/…` → `tickets`). */
export function endpointGroup(path: string): string {
  const segment = /^\/v\d+\/([a-z0-9-]{1,40})(?:[/?]|$)/i.exec(path)?.[1];
  return segment ? segment.toLowerCase() : 'other';
}

export const apiUsageKeys = (prefix: string) => ({
  /** The minutes that have counts waiting. */
  minutes: `${prefix}:billing:api:minutes`,
  /** Hash of `tenantId|group` → requests in one minute. */
  minute: (minute: string) => `${prefix}:billing:api:${minute}`,
});

/**
 * API requests counted in memory and pushed to Redis once a second per process (one HINCRBY per
 * tenant and group, in a pipeline): no write per request, and nothing in the request's path
 * waits on Redis. The worker folds whole minutes into daily usage (FlushApiUsageJob).
 */
@Injectable()
export class ApiUsageCounter implements OnModuleDestroy {
  private readonly logger = new Logger('Billing');
  private readonly keys: ReturnType<typeof apiUsageKeys>;
  private pending = new Map<string, Map<string, number>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {
    this.keys = apiUsageKeys(config.QUEUE_PREFIX);
  }

  count(tenantId: string, group: string, at = Date.now()): void {
    const minute = minuteOf(at);
    let counts = this.pending.get(minute);
    if (!counts) this.pending.set(minute, (counts = new Map()));
    const field = `${tenantId}|${group}`;
    counts.set(field, (counts.get(field) ?? 0) + 1);
    this.timer ??= setTimeout(() => void this.push(), PUSH_EVERY_MS).unref();
  }

  /** Sends what was counted; on failure the counts are dropped with a warning (never retried into a later minute). */
  async push(): Promise<void> {
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [minute, counts] of batch) {
      const key = this.keys.minute(minute);
      for (const [field, n] of counts) pipeline.hincrby(key, field, n);
      pipeline.expire(key, KEY_TTL_S);
      pipeline.sadd(this.keys.minutes, minute);
    }
    try {
      await pipeline.exec();
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'Could not push API request counts to Redis; this second’s counts are lost to the usage meter');
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.push();
  }
}
