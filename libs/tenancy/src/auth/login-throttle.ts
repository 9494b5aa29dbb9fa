import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, ProblemException, REDIS, type AppConfig } from '@switchboard/platform';
import { createHash } from 'node:crypto';
import type { RedisClient } from '@switchboard/platform';

const FREE_ATTEMPTS = 5;
const MAX_LOCK_SECONDS = 15 * 60;

/**
 * Growing lockout per account: after 5 failures in a row each further failure doubles the wait
 * (1 s, 2 s, 4 s … up to 15 min). Kept in Redis, so every api process enforces it; a success
 * clears it. Counted per email whether or not the account exists, so it reveals nothing.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private key(email: string): string {
    return `${this.config.QUEUE_PREFIX}:login-failures:${createHash('sha256').update(email).digest('hex')}`;
  }

  async assertAllowed(email: string): Promise<void> {
    const raw = await this.redis.get(this.key(email)).catch(() => null);
    if (!raw) return;
    const { failures, lastAt } = JSON.parse(raw) as { failures: number; lastAt: number };
    if (failures < FREE_ATTEMPTS) return;
    const lockSeconds = Math.min(2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_SECONDS);
    const retryAfter = Math.ceil((lastAt + lockSeconds * 1000 - Date.now()) / 1000);
    if (retryAfter > 0) {
      throw new ProblemException({
        status: 429,
        type: 'login-locked',
        title: 'Too Many Requests',
        detail: `Too many failed sign-ins for this account; retry in ${retryAfter} s.`,
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
  }

  async recordFailure(email: string): Promise<void> {
    const key = this.key(email);
    const raw = await this.redis.get(key).catch(() => null);
    const failures = raw ? (JSON.parse(raw) as { failures: number }).failures + 1 : 1;
    await this.redis.set(key, JSON.stringify({ failures, lastAt: Date.now() }), 'EX', 24 * 3600).catch(() => undefined);
  }

  async clear(email: string): Promise<void> {
    await this.redis.del(this.key(email)).catch(() => undefined);
  }
}
