import { Inject, Injectable, Optional, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { RedisClient } from '../redis/redis-client';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import { PLATFORM_ADMIN_ROUTE } from './platform-admin.guard';
import { ProblemException } from './problem';
import type { SwitchboardRequest } from './request-context';
import { TenantRequestLimits, type ResolvedRequestLimit } from './tenant-request-limits';

export const RATE_LIMIT_POLICY = 'switchboard:rate-limit';

/**
 * A per-IP budget of a context's anonymous routes (a help center, a contact form), declared by the
 * context with the config variable that sets it. `also` lists policies whose budget the same
 * request counts against too (an AI answer is also help-center traffic).
 */
export interface IpRateLimitPolicy {
  readonly name: string;
  /** The config variable (of the context's slice) holding requests per IP and minute. */
  readonly perMinute: string;
  /** How a 429 names the budget: "per IP on the help center". */
  readonly label: string;
  readonly also?: readonly IpRateLimitPolicy[];
}

export function defineRateLimit(policy: IpRateLimitPolicy): IpRateLimitPolicy {
  return policy;
}

/** The platform's own: 'auth', the stricter per-IP budget of credential endpoints; 'skip' for probes. */
export type RateLimitPolicy = 'auth' | 'skip' | IpRateLimitPolicy;

export const RateLimit = (policy: RateLimitPolicy) => SetMetadata(RATE_LIMIT_POLICY, policy);

interface Bucket {
  key: string;
  limit: number;
  name: string;
  /** The plan whose limit this is (named in the 429), if any. */
  plan?: string | null;
}

const WINDOW_MS = 60_000;
/** How old the last count Redis answered may be for a request to go on without waiting for its own. */
const FRESH_MS = 1_000;
/** How long the count of a request that did not wait for it may stay in this process before it is sent. */
export const COUNT_BATCH_MS = 50;
/** What this process last heard from Redis about one bucket's window (the map is cleared when the window changes). */
interface KnownCount {
  count: number;
  at: number;
  inFlight: number;
}

/**
 * Fixed one-minute windows counted in Redis, so every api process shares them: per tenant and
 * per API key for authenticated calls, per IP for anonymous and credential endpoints. Every
 * answer carries RateLimit-* headers for the tightest bucket; over budget is a 429 with
 * Retry-After. Runs after the credential guard, so it knows the tenant. A request far from its
 * limits does not wait for Redis's answer (it is counted all the same; `estimate`).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly known = new Map<string, KnownCount>();
  private window = 0;
  /** Counts asked for since the last MULTI was sent, and when they will be sent. */
  private pending: { keys: string[]; resolve: (counts: number[] | null) => void }[] = [];
  private sendTimer: NodeJS.Timeout | null = null;
  private sendingNow = false;

  constructor(
    private readonly reflector: Reflector,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly tenantLimits?: TenantRequestLimits,
  ) {}

  /** Synchronous while the counts are known without Redis (the common case), so Nest need not await it. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<RateLimitPolicy | undefined>(RATE_LIMIT_POLICY, [context.getHandler(), context.getClass()]);
    if (policy === 'skip') return true;
    if (this.reflector.getAllAndOverride<boolean>(PLATFORM_ADMIN_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<SwitchboardRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    // The tenant's limit (its plan's) is known in memory but for a tenant's first request in a while.
    const tenantId = policy === undefined && req.principal?.kind !== 'platform-admin' ? req.principal?.tenantId : undefined;
    const tenantLimit = tenantId && this.tenantLimits ? this.tenantLimits.resolve(tenantId) : undefined;
    if (tenantLimit instanceof Promise) return tenantLimit.then((limit) => this.limit(req, res, policy, limit));
    return this.limit(req, res, policy, tenantLimit);
  }

  private limit(req: SwitchboardRequest, res: Response, policy: RateLimitPolicy | undefined, tenantLimit: ResolvedRequestLimit | undefined): boolean | Promise<boolean> {
    const buckets = this.bucketsFor(req, policy, tenantLimit);
    if (buckets.length === 0) return true;

    const window = Math.floor(Date.now() / WINDOW_MS);
    const resetMs = (window + 1) * WINDOW_MS - Date.now();
    const keys = buckets.map((b) => `${b.key}:${window}`);
    // Every request is counted in Redis; it waits for the count only when this process cannot
    // tell from recent answers that every bucket is far from its limit (see `estimate`).
    const estimates = buckets.map((b, i) => this.estimate(keys[i]!, b.limit, window));
    const known = estimates.every((e) => e !== null);
    const counted = this.count(keys, !known);
    if (known) return this.decide(res, buckets, estimates as number[], resetMs);
    // Redis down: readiness reports it; refusing all traffic would make it worse.
    return counted.then((counts) => (counts ? this.decide(res, buckets, counts, resetMs) : true));
  }

  /** The RateLimit-* headers for the tightest bucket, and a 429 when it is over its limit. */
  private decide(res: Response, buckets: Bucket[], counts: number[], resetMs: number): true {
    const tightest = buckets
      .map((b, i) => ({ ...b, remaining: b.limit - counts[i] }))
      .sort((a, b) => a.remaining - b.remaining)[0];
    const reset = Math.ceil(resetMs / 1000);
    res.setHeader('RateLimit-Limit', String(tightest.limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, tightest.remaining)));
    res.setHeader('RateLimit-Reset', String(reset));
    if (tightest.remaining < 0) {
      throw new ProblemException({
        status: 429,
        type: 'rate-limited',
        title: 'Too Many Requests',
        detail: `Rate limit of ${tightest.limit} requests per minute ${tightest.name} exceeded; retry in ${reset} s.`,
        headers: { 'Retry-After': String(reset) },
        ...(tightest.plan ? { extensions: { limit: 'api-requests-per-minute', plan: tightest.plan, allowed: tightest.limit } } : {}),
      });
    }
    return true;
  }

  /**
   * This request's count in a bucket, known without waiting for Redis: the count Redis answered
   * this process last (at most FRESH_MS ago, in this window) plus the requests it is still
   * counting plus this one — or null when that is not known, or too close to the limit for other
   * processes' requests since that answer to matter (within a tenth of the limit, at least 10).
   * Near the limit every request waits for its own count, so the limit itself is exact; far from
   * it a process sees the others' requests up to FRESH_MS late.
   */
  private estimate(key: string, limit: number, window: number): number | null {
    if (window !== this.window) {
      this.window = window;
      this.known.clear();
    }
    const known = this.known.get(key);
    if (!known || performance.now() - known.at > FRESH_MS) return null;
    const estimate = known.count + known.inFlight + 1;
    return limit - estimate >= Math.max(10, Math.ceil(limit / 10)) ? estimate : null;
  }

  /**
   * Counts one request in each bucket; what Redis answers becomes what this process knows. Counts
   * leave in batches, as one MULTI with an INCRBY (and expiry) per key: one write and one answer
   * for many requests instead of one each. A request that waits for its count (`now`) has its
   * batch sent after this turn of the event loop; the others' counts — far from every limit —
   * wait up to COUNT_BATCH_MS (meanwhile they are in `inFlight`, so this process's estimates
   * include them; other processes see them that much later, on top of the FRESH_MS they may
   * already be late). Each request that waits gets a count of its own — its position within the
   * batch's increments — so near a limit it stays exact.
   */
  private count(keys: string[], now: boolean): Promise<number[] | null> {
    const states = keys.map((key) => {
      let known = this.known.get(key);
      if (!known) this.known.set(key, (known = { count: 0, at: -Infinity, inFlight: 0 }));
      known.inFlight++;
      return known;
    });
    return new Promise<number[] | null>((resolve) => {
      this.pending.push({ keys, resolve });
      if (now && !this.sendingNow) {
        this.sendingNow = true;
        setImmediate(() => this.sendCounts());
      } else if (!now) {
        this.sendTimer ??= setTimeout(() => this.sendCounts(), COUNT_BATCH_MS).unref();
      }
    }).then((counts) => {
      states.forEach((known, i) => {
        known.inFlight--;
        if (counts === null) return;
        known.count = Math.max(known.count, counts[i]!);
        known.at = performance.now();
      });
      return counts;
    });
  }

  private sendCounts(): void {
    this.sendingNow = false;
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.sendTimer = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const increments = new Map<string, number>();
    for (const { keys } of batch) for (const key of keys) increments.set(key, (increments.get(key) ?? 0) + 1);
    const keys = [...increments.keys()];
    const pipeline = this.redis.multi();
    for (const key of keys) pipeline.incrby(key, increments.get(key)!).pexpire(key, WINDOW_MS + 1_000);
    pipeline.exec().then(
      (results) => {
        // The count just before this batch; the batch's requests take the next ones in turn.
        const before = new Map(keys.map((key, i) => [key, Number(results?.[i * 2]?.[1] ?? 0) - increments.get(key)!]));
        for (const { keys: own, resolve } of batch) {
          resolve(
            own.map((key) => {
              const count = before.get(key)! + 1;
              before.set(key, count);
              return count;
            }),
          );
        }
      },
      () => {
        for (const { resolve } of batch) resolve(null);
      },
    );
  }

  private ipBucket(prefix: string, ip: string, policy: IpRateLimitPolicy): Bucket {
    const limit = (this.config as unknown as Record<string, unknown>)[policy.perMinute];
    if (typeof limit !== 'number') throw new Error(`Rate limit ${policy.name}: config variable ${policy.perMinute} is not a number; is its context registered?`);
    return { key: `${prefix}:${policy.name}-ip:${ip}`, limit, name: policy.label };
  }

  private bucketsFor(req: SwitchboardRequest, policy: RateLimitPolicy | undefined, tenantLimit: ResolvedRequestLimit | undefined): Bucket[] {
    const prefix = `${this.config.QUEUE_PREFIX}:rl`;
    const p = req.principal;
    if (policy === 'auth') return [{ key: `${prefix}:auth-ip:${req.ip}`, limit: this.config.RATE_LIMIT_AUTH_PER_MINUTE, name: 'per IP on authentication' }];
    if (policy && typeof policy === 'object') return [policy, ...(policy.also ?? [])].map((p) => this.ipBucket(prefix, req.ip ?? '', p));
    if (p?.kind === 'platform-admin') return [];
    if (!p) return [{ key: `${prefix}:ip:${req.ip}`, limit: this.config.RATE_LIMIT_IP_PER_MINUTE, name: 'per IP' }];
    const buckets: Bucket[] = [];
    if (p.tenantId) {
      const { limit, name, plan } = tenantLimit ?? { limit: this.config.RATE_LIMIT_TENANT_PER_MINUTE, name: 'for this tenant', plan: null };
      buckets.push({ key: `${prefix}:tenant:${p.tenantId}`, limit, name, plan });
    }
    if (p.kind === 'api-key') buckets.push({ key: `${prefix}:key:${p.id}`, limit: this.config.RATE_LIMIT_API_KEY_PER_MINUTE, name: 'for this API key' });
    return buckets;
  }
}
