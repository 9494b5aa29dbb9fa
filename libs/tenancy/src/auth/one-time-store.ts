import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, ProblemException, REDIS, type AppConfig } from '@switchboard/platform';
import type { RedisClient } from '@switchboard/platform';

const unavailable = () =>
  new ProblemException({ status: 503, type: 'unavailable', title: 'Service Unavailable', detail: 'Sign-in state could not be reached; try again shortly.' });

/**
 * Short-lived, single-use sign-in state in Redis, shared by every api process: spent challenge
 * tokens and pending WebAuthn challenges. Refuses (503) rather than guessing when Redis is down:
 * a spent challenge must never count as fresh.
 */
@Injectable()
export class OneTimeStore {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private key(kind: string, id: string): string {
    return `${this.config.QUEUE_PREFIX}:auth:${kind}:${id}`;
  }

  /** True the first time for this id (then remembered for `ttlSeconds`), false ever after. */
  async claim(kind: string, id: string, ttlSeconds: number): Promise<boolean> {
    try {
      return (await this.redis.set(this.key(kind, id), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    } catch {
      throw unavailable();
    }
  }

  async put(kind: string, id: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(this.key(kind, id), value, 'EX', ttlSeconds);
    } catch {
      throw unavailable();
    }
  }

  /** The value, removed in the same step: a second take gets null. */
  async take(kind: string, id: string): Promise<string | null> {
    try {
      return await this.redis.getdel(this.key(kind, id));
    } catch {
      throw unavailable();
    }
  }

  /** Undoes a `claim` (the attempt failed and may be repeated); never throws. */
  async release(kind: string, id: string): Promise<void> {
    await this.redis.del(this.key(kind, id)).catch(() => undefined);
  }
}
