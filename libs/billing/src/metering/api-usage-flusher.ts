import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, REDIS, TenantTransaction, type AppConfig } from '@switchboard/platform';
import type { RedisClient } from '@switchboard/platform';
import { BillingRepository } from '../repositories/billing.repository';
import { apiUsageKeys, minuteOf } from './api-usage-counter';

/** A minute is folded in once it is this far behind: processes push their counts every second. */
const SETTLE_MS = 2 * 60_000;
const CLAIMS_KEPT_MS = 2 * 24 * 3_600_000;

/**
 * Folds whole minutes of API request counts from Redis into daily usage. Each (tenant, minute) is
 * claimed in the same transaction as its sums, so a flush interrupted after some tenants, or run
 * by two workers at once, never counts a minute twice; Redis is read before and cleared after.
 */
@Injectable()
export class ApiUsageFlusher {
  private readonly logger = new Logger('Billing');
  private readonly keys: ReturnType<typeof apiUsageKeys>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly tx: TenantTransaction,
    private readonly repository: BillingRepository,
  ) {
    this.keys = apiUsageKeys(config.QUEUE_PREFIX);
  }

  /** Returns how many requests were folded in. */
  async flush(now = Date.now()): Promise<number> {
    const settled = minuteOf(now - SETTLE_MS);
    const minutes = (await this.redis.smembers(this.keys.minutes)).filter((m) => m <= settled).sort();
    let total = 0;
    for (const minute of minutes) {
      const counts = await this.redis.hgetall(this.keys.minute(minute));
      const byTenant = new Map<string, [string, number][]>();
      for (const [field, value] of Object.entries(counts)) {
        const [tenantId, group] = field.split('|');
        const n = Number(value);
        if (!tenantId || !group || !Number.isSafeInteger(n) || n <= 0) continue;
        byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), [group, n]]);
      }
      const day = minute.slice(0, 10);
      for (const [tenantId, groups] of byTenant) {
        total += await this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
          if (!(await this.repository.claimApiMinute(tx, new Date(minute).toISOString()))) return 0;
          let sum = 0;
          for (const [group, n] of groups) {
            await this.repository.addUsage(tx, day, 'api_requests', group, n);
            sum += n;
          }
          return sum;
        });
      }
      await this.redis.multi().del(this.keys.minute(minute)).srem(this.keys.minutes, minute).exec();
    }
    await this.tx.runAsSystem((manager) => manager.query(`DELETE FROM billing_api_usage_flushes WHERE minute < $1`, [new Date(now - CLAIMS_KEPT_MS).toISOString()]));
    if (total > 0) this.logger.log({ requests: total, minutes: minutes.length }, 'API requests folded into usage');
    return total;
  }
}
