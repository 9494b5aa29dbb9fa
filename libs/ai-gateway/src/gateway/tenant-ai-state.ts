import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, REDIS, TenantTransaction, type AppConfig, type CommandContext } from '@switchboard/platform';
import type { Redis } from 'ioredis';
import {
  monthOf,
  monthUsageFromRows,
  monthUsageStatement,
  providersFromRows,
  providersStatement,
  settingsFromRows,
  settingsStatement,
  type AiBudget,
  type AiSettings,
  type MonthUsage,
  type StoredProvider,
} from '../settings/ai-settings';

export interface CallState {
  settings: AiSettings;
  providers: StoredProvider[];
  /** Month-to-date usage; null only when the tenant has no budget, so nothing needs it. */
  used: MonthUsage | null;
}

interface CachedConfig {
  stamp: string;
  settings: AiSettings;
  providers: StoredProvider[];
  loadedAt: number;
}

const STAMP_TTL_S = 24 * 3600;
/** An idle tenant's counter is dropped and later rebuilt from `ai_usage_months`. */
const COUNTER_TTL_S = 600;
const MAX_CACHED_TENANTS = 10_000;
const WARN_EVERY_MS = 60_000;

/**
 * Raises the shared counter to the totals a committed transaction returned, unless it already
 * holds later ones: `calls` only grows within a month, so writers finishing out of order (or a
 * rebuild racing a write) never lower it.
 */
const RAISE_COUNTER = `
local calls = tonumber(redis.call('HGET', KEYS[1], 'calls') or '-1')
if tonumber(ARGV[1]) > calls then
  redis.call('HSET', KEYS[1], 'calls', ARGV[1], 'tokens', ARGV[2], 'cost', ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1`;

/**
 * Counts a call that has ended but whose usage row is not written yet — only into a counter that
 * exists (a missing one is rebuilt from the table, and raised again when the row commits).
 */
const COUNT_CALL = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'calls', 1)
  redis.call('HINCRBY', KEYS[1], 'tokens', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'cost', ARGV[2])
end
return 1`;

export const hasBudget = (budget: AiBudget) => budget.monthlyTokens != null || budget.monthlyCostCents != null;

/**
 * What a call needs to know about its tenant — AI settings, provider connections and, when a
 * budget is set, month-to-date usage — in one Redis round trip instead of a database transaction.
 *
 * - Settings and providers are cached per process under a stamp kept in Redis. Every call reads
 *   the stamp; every committed change sets a new one before its response is sent, so the next
 *   call on any process reloads. The stamp is read before the database, so a cache entry is never
 *   older than its stamp. If the stamp cannot be bumped (Redis unreachable at that moment), other
 *   processes keep the previous settings for at most AI_SETTINGS_CACHE_TTL_MS.
 * - Month-to-date usage is a copy in Redis of the tenant's `ai_usage_months` row: each ended call
 *   is added before it answers (`usageAccepted`), so any call that starts after another has
 *   answered sees its usage, and the copy is raised to the committed totals when the usage row is
 *   written (`usageCommitted`, which never lowers it). It can lag only by calls still in flight
 *   (true of any check made before a call) and by calls whose Redis update failed — until the
 *   next commit's update (absolute totals) or the key's expiry, when it is rebuilt from the table.
 * - Redis unreachable: everything is read from the database in one round trip, as before.
 */
@Injectable()
export class TenantAiState {
  private readonly logger = new Logger('AiGateway');
  private readonly cache = new Map<string, CachedConfig>();
  private readonly prefix: string;
  private readonly ttlMs: number;
  private lastWarnAt = -Infinity;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly tx: TenantTransaction,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:ai`;
    this.ttlMs = config.AI_SETTINGS_CACHE_TTL_MS;
  }

  async forCall(ctx: CommandContext): Promise<CallState> {
    const tenantId = ctx.tenantId;
    const month = monthOf(new Date());
    let stamp: string;
    let counted: MonthUsage | null;
    try {
      const replies = await this.redis.pipeline().get(this.stampKey(tenantId)).hmget(this.counterKey(tenantId, month), 'calls', 'tokens', 'cost').exec();
      const [stampReply, counterReply] = replies ?? [];
      if (!stampReply || !counterReply || stampReply[0] || counterReply[0]) throw stampReply?.[0] ?? counterReply?.[0] ?? new Error('no reply');
      const [calls, tokens, cost] = counterReply[1] as (string | null)[];
      counted = calls != null ? { month, calls: Number(calls), tokens: Number(tokens), costMicros: Number(cost) } : null;
      stamp = (stampReply[1] as string | null) ?? (await this.claimStamp(tenantId));
    } catch (error) {
      this.warn(error, 'Redis unavailable: reading AI settings and usage from the database');
      return this.load(ctx, month, true);
    }

    const cached = this.cache.get(tenantId);
    if (cached && cached.stamp === stamp && performance.now() - cached.loadedAt < this.ttlMs) {
      if (counted || !hasBudget(cached.settings.budget)) return { settings: cached.settings, providers: cached.providers, used: counted };
      const [rows] = await this.tx.runBatch(ctx, [monthUsageStatement(tenantId, month)]);
      const used = monthUsageFromRows(rows!, month);
      await this.usageCommitted(tenantId, used);
      return { settings: cached.settings, providers: cached.providers, used };
    }
    const loaded = await this.load(ctx, month, counted === null);
    if (this.ttlMs > 0) this.remember(tenantId, { stamp, settings: loaded.settings, providers: loaded.providers, loadedAt: performance.now() });
    if (loaded.used) await this.usageCommitted(tenantId, loaded.used);
    return { ...loaded, used: counted ?? loaded.used };
  }

  /** After a committed change of settings or providers: every process reloads on its next call. */
  async changed(tenantId: string): Promise<void> {
    this.cache.delete(tenantId);
    try {
      await this.redis.set(this.stampKey(tenantId), randomUUID(), 'EX', STAMP_TTL_S);
    } catch (error) {
      this.warn(error, `Could not publish an AI settings change; other processes pick it up within ${this.ttlMs} ms`);
    }
  }

  /**
   * When a call ends, before it answers: its tokens and cost join the shared month counter. Sent
   * without waiting for the reply — this process's later commands (the next call's budget read)
   * queue behind it on the same connection, and other processes see it within a round trip.
   */
  usageAccepted(tenantId: string, month: string, tokens: number, costMicros: number): void {
    this.redis.eval(COUNT_CALL, 1, this.counterKey(tenantId, month), tokens, costMicros).catch((error: unknown) => this.warn(error, 'Could not count an AI call in the shared usage counter; it is raised when the usage row commits'));
  }

  /** After a usage row committed, with the month's totals that transaction returned. */
  async usageCommitted(tenantId: string, totals: MonthUsage): Promise<void> {
    try {
      await this.redis.eval(RAISE_COUNTER, 1, this.counterKey(tenantId, totals.month), totals.calls, totals.tokens, totals.costMicros, COUNTER_TTL_S);
    } catch (error) {
      this.warn(error, 'Could not update the shared AI usage counter; it is rebuilt from the database when it expires');
    }
  }

  /** Settings, providers and (if asked) the month's usage: one round trip to the database. */
  private async load(ctx: CommandContext, month: string, withUsage: boolean): Promise<CallState> {
    const statements = [settingsStatement(ctx.tenantId), providersStatement(ctx.tenantId), ...(withUsage ? [monthUsageStatement(ctx.tenantId, month)] : [])];
    const [settingsRows, providerRows, usageRows] = await this.tx.runBatch(ctx, statements);
    return { settings: settingsFromRows(settingsRows!), providers: providersFromRows(providerRows!), used: usageRows ? monthUsageFromRows(usageRows, month) : null };
  }

  /** A stamp for a tenant that has none in Redis yet (first call, or after a flush): ours or a concurrent one. */
  private async claimStamp(tenantId: string): Promise<string> {
    const key = this.stampKey(tenantId);
    const replies = await this.redis.pipeline().set(key, randomUUID(), 'EX', STAMP_TTL_S, 'NX').get(key).exec();
    const stamp = replies?.[1]?.[1];
    if (typeof stamp !== 'string') throw replies?.[1]?.[0] ?? new Error('no stamp');
    return stamp;
  }

  private remember(tenantId: string, entry: CachedConfig): void {
    this.cache.delete(tenantId);
    this.cache.set(tenantId, entry);
    if (this.cache.size > MAX_CACHED_TENANTS) this.cache.delete(this.cache.keys().next().value!);
  }

  private stampKey(tenantId: string): string {
    return `${this.prefix}:config:${tenantId}`;
  }

  private counterKey(tenantId: string, month: string): string {
    return `${this.prefix}:usage:${tenantId}:${month}`;
  }

  /** Once a minute at most: with Redis down, every call would say the same. */
  private warn(error: unknown, message: string): void {
    if (performance.now() - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = performance.now();
    this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, message);
  }
}
