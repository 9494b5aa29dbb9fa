import { hash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-client';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { requestIdFor } from '../observability/logger.module';
import { Metrics } from '../observability/metrics';
import { REDIS } from '../redis/redis.module';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem';
import { API_SECURITY_HEADERS } from './request-pipeline';
import type { Principal } from './request-context';
import { TenantRequestLimits } from './tenant-request-limits';
import { TokenBucket } from './token-bucket';

/** How long a verified credential's tenant is known here without being verified again. */
const CREDENTIAL_TTL_MS = 60_000;
const MAX_CREDENTIALS = 100_000;
/** A bucket untouched this long, and full again, is forgotten (and starts full if it comes back). */
const BUCKET_IDLE_MS = 60_000;
/** Shared buckets outlive their last sync by this much in Redis. */
const SHARED_TTL_MS = 120_000;
/** Set on a request this gate has charged, so the credential guard does not charge it again. */
export const EARLY_CHARGED = Symbol('switchboard.early-rate-limit.charged');

const CORS_EXPOSED = 'X-Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After';

/**
 * The shared side of every process's buckets, one hash per bucket in Redis: refilled by Redis's own
 * clock, debited by what a process reports, floored at -capacity. Returns the level as a string
 * (Lua numbers would be truncated to integers).
 */
const SHARED_BUCKET_LUA = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local spent = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(stored[1]) or capacity
local at = tonumber(stored[2]) or now
if now > at then level = math.min(capacity, level + (now - at) * perMs) end
level = math.max(-capacity, level - spent)
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(math.max(now, at)))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
return tostring(level)
`;

interface KnownCredential {
  tenantId: string;
  apiKeyId: string | null;
  until: number;
}

interface BucketSpec {
  key: string;
  limit: number;
  name: string;
  label: 'tenant' | 'api-key';
  plan?: string | null;
}

type SharedBucketRedis = RedisClient & { switchboardSharedBucket?: unknown };
type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Per-tenant and per-API-key budgets enforced before express, Nest, the body parser and the
 * database see a request: a `request` listener on the http server looks the bearer credential up
 * among those this process has verified (by a SHA-256 of the whole token; an unknown or forged
 * token is never charged to anyone here and goes on to the credential check) and spends a token
 * from the tenant's and the key's buckets. An empty bucket is a 429 written from memory, with no
 * Redis round trip; Redis only hears the spending, in one pipeline per RATE_LIMIT_SYNC_MS.
 *
 * The fixed-window RateLimitGuard stays behind it as the exact, shared count of what is admitted:
 * this gate sheds the bulk of an over-budget tenant's traffic cheaply, the guard keeps the limit
 * exact when several processes each admitted a little too much between two syncs.
 */
@Injectable()
export class EarlyRateLimit implements OnModuleDestroy {
  private readonly credentials = new Map<string, KnownCredential>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly timer: NodeJS.Timeout;
  private syncing = false;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: SharedBucketRedis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly metrics?: Metrics,
    @Optional() private readonly tenantLimits?: TenantRequestLimits,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:rl:bucket`;
    if (!redis.switchboardSharedBucket) redis.defineCommand('switchboardSharedBucket', { numberOfKeys: 1, lua: SHARED_BUCKET_LUA });
    this.timer = setInterval(() => void this.sync(), config.RATE_LIMIT_SYNC_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Puts this gate in front of everything else listening for the server's requests. */
  attach(server: Server): void {
    const listeners = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      let refused = false;
      try {
        refused = this.refuse(req, res);
      } catch {
        // A fault here must not take the server down; the guard behind still limits the request.
      }
      if (refused) return;
      for (const listener of listeners) listener.call(server, req, res);
    });
  }

  /**
   * Called by the credential guard once it has verified `token`: from now on (for
   * CREDENTIAL_TTL_MS) this process can charge the token's tenant before reading anything else.
   * A request the gate did not charge (the token's first) is charged here, without refusing it:
   * the guard's exact count decides that one.
   */
  verified(req: IncomingMessage, token: string, principal: Principal): void {
    if (principal.kind === 'platform-admin' || !principal.tenantId) return;
    const apiKeyId = principal.kind === 'api-key' ? principal.id : null;
    const digest = digestOf(token);
    if (!this.credentials.has(digest)) {
      if (this.credentials.size >= MAX_CREDENTIALS) this.credentials.delete(this.credentials.keys().next().value!);
      this.credentials.set(digest, { tenantId: principal.tenantId, apiKeyId, until: performance.now() + CREDENTIAL_TTL_MS });
    }
    if ((req as { [EARLY_CHARGED]?: boolean })[EARLY_CHARGED]) return;
    const now = performance.now();
    for (const spec of this.specsFor(principal.tenantId, apiKeyId) ?? []) this.bucket(spec, now).spend(now);
  }

  /** True when it answered the request with a 429; false lets it through (and charged it, when known). */
  refuse(req: IncomingMessage, res: ServerResponse): boolean {
    const authorization = req.headers.authorization;
    if (authorization === undefined || authorization.length < 8 || !isBearer(authorization)) return false;
    const url = req.url ?? '';
    if (!isTenantRoute(url)) return false;
    const digest = digestOf(authorization.slice(7));
    const known = this.credentials.get(digest);
    if (!known) return false;
    const now = performance.now();
    if (known.until < now) {
      this.credentials.delete(digest);
      return false;
    }
    const specs = this.specsFor(known.tenantId, known.apiKeyId);
    // The tenant's plan limit not in memory: the guard behind loads it and decides this one.
    if (!specs) return false;
    const buckets = specs.map((spec) => this.bucket(spec, now));
    const empty = buckets.findIndex((b) => !b.canTake(now));
    if (empty === -1) {
      for (const b of buckets) b.spend(now);
      (req as { [EARLY_CHARGED]?: boolean })[EARLY_CHARGED] = true;
      return false;
    }
    this.reject(req, res, specs[empty]!, buckets[empty]!, url, now);
    return true;
  }

  /** The 429 the guard would send, written straight to the socket's response. */
  private reject(req: IncomingMessage, res: ServerResponse, spec: BucketSpec, bucket: TokenBucket, url: string, now: number): void {
    this.metrics?.requestsShed.inc({ bucket: spec.label });
    const retryAfter = String(Math.max(1, Math.ceil(bucket.msUntilToken(now) / 1000)));
    const requestId = requestIdFor(req, res);
    const q = url.indexOf('?');
    const body = JSON.stringify({
      type: `${PROBLEM_TYPE_BASE}rate-limited`,
      title: 'Too Many Requests',
      status: 429,
      detail: `Rate limit of ${spec.limit} requests per minute ${spec.name} exceeded; retry in ${retryAfter} s.`,
      instance: q === -1 ? url : url.slice(0, q),
      requestId,
      ...(spec.plan ? { limit: 'api-requests-per-minute', plan: spec.plan, allowed: spec.limit } : {}),
    });
    for (const [name, value] of API_SECURITY_HEADERS) res.setHeader(name, value);
    const origin = req.headers.origin;
    if (origin && (this.config.CORS_ORIGINS.includes('*') || this.config.CORS_ORIGINS.includes(origin))) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED);
    }
    res.setHeader('RateLimit-Limit', String(spec.limit));
    res.setHeader('RateLimit-Remaining', '0');
    res.setHeader('RateLimit-Reset', retryAfter);
    res.setHeader('Retry-After', retryAfter);
    res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    // An unread body is not worth reading: close the connection instead of draining it.
    if (req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined) {
      res.shouldKeepAlive = false;
    }
    res.statusCode = 429;
    res.end(body);
  }

  /** The buckets a request of this tenant (and key) spends from; null while the tenant's limit is not in memory. */
  private specsFor(tenantId: string, apiKeyId: string | null): BucketSpec[] | null {
    const tenant = this.tenantLimits ? this.tenantLimits.known(tenantId) : { limit: this.config.RATE_LIMIT_TENANT_PER_MINUTE, name: 'for this tenant', plan: null };
    if (!tenant) return null;
    const specs: BucketSpec[] = [{ key: `tenant:${tenantId}`, limit: tenant.limit, name: tenant.name, label: 'tenant', plan: tenant.plan }];
    if (apiKeyId) specs.push({ key: `key:${apiKeyId}`, limit: this.config.RATE_LIMIT_API_KEY_PER_MINUTE, name: 'for this API key', label: 'api-key' });
    return specs;
  }

  private bucket(spec: BucketSpec, now: number): TokenBucket {
    let bucket = this.buckets.get(spec.key);
    // A changed limit (the tenant changed plans) starts a bucket of the new size.
    if (bucket && bucket.capacity !== spec.limit) bucket = undefined;
    if (!bucket) this.buckets.set(spec.key, (bucket = new TokenBucket(spec.limit, spec.limit, now)));
    return bucket;
  }

  /**
   * Sends what each live bucket spent since the last sync to its shared bucket and takes the
   * shared level back, all in one pipeline; forgets buckets idle and full. With Redis down every
   * process goes on with its own buckets (and the guard behind it fails open as before).
   */
  async sync(): Promise<void> {
    if (this.syncing) return;
    const now = performance.now();
    const live: [string, TokenBucket, number][] = [];
    for (const [key, bucket] of this.buckets) {
      if (bucket.isIdle(now, BUCKET_IDLE_MS)) this.buckets.delete(key);
      else live.push([key, bucket, bucket.beginReconcile()]);
    }
    if (live.length === 0) return;
    this.syncing = true;
    try {
      const pipeline = this.redis.pipeline() as unknown as { switchboardSharedBucket(...args: (string | number)[]): void; exec(): Promise<[Error | null, unknown][] | null> };
      for (const [key, bucket, spent] of live) pipeline.switchboardSharedBucket(`${this.prefix}:${key}`, bucket.capacity, bucket.perMinute / 60_000, spent, SHARED_TTL_MS);
      const results = await pipeline.exec();
      const at = performance.now();
      live.forEach(([, bucket], i) => {
        const [error, level] = results?.[i] ?? [new Error('no answer'), null];
        if (error || level === null) bucket.unreconciled();
        else bucket.reconciled(Number(level), at);
      });
    } catch {
      for (const [, bucket] of live) bucket.unreconciled();
    } finally {
      this.syncing = false;
    }
  }
}

function isBearer(authorization: string): boolean {
  return authorization.charCodeAt(6) === 32 /* space */ && authorization.slice(0, 6).toLowerCase() === 'bearer';
}

const digestOf = (token: string) => hash('sha256', token, 'base64');

/**
 * Routes where a bearer credential is charged to its tenant: /v1, except probes, platform
 * operations and sign-in (which have their own budgets in the guard).
 */
function isTenantRoute(url: string): boolean {
  return url.startsWith('/v1/') && !url.startsWith('/v1/health/') && !url.startsWith('/v1/admin/') && !url.startsWith('/v1/auth/');
}
