import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, InvalidationBus, REDIS, TenantTransaction, type AppConfig, type CommandContext, type InvalidatedCache } from '@switchboard/platform';
import type { RedisClient } from '@switchboard/platform';
import { monthUsageFromRows, monthUsageStatement, providersFromRows, providersStatement, settingsFromRows, settingsStatement } from '../repositories/ai-settings.sql';
import { monthOf, type AiBudget, type AiSettings, type MonthUsage, type StoredProvider } from '../settings/ai-settings';
import { aiGatewayConfig, type AiGatewayConfig } from '../ai-gateway.context';
import { AI_BUDGET_DEFAULTS, type AiBudgetDefaults, type DefaultAiBudget } from './budget-defaults.port';

export interface CallState {
  settings: AiSettings;
  providers: StoredProvider[];
  /** Month-to-date usage; null only when the tenant has no budget, so nothing needs it. */
  used: MonthUsage | null;
}

interface TenantConfig {
  settings: AiSettings;
  providers: StoredProvider[];
}

/** Invalidation topic of the AI settings caches; its keys are tenant ids. */
export const AI_CONFIG_TOPIC = 'ai.config';
const TOPIC = AI_CONFIG_TOPIC;
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

const lower = (own: number | null | undefined, plan: number | null): number | null => (own == null ? plan : plan == null ? own : Math.min(own, plan));

/**
 * The budget that applies: the tenant's own limits, capped by the default's (a plan's), which
 * also stand in for limits the tenant did not set. A limit taken from the default names it.
 */
export function effectiveBudget(own: AiBudget, defaults: DefaultAiBudget | null): AiBudget {
  if (!defaults) return own;
  const monthlyTokens = lower(own.monthlyTokens, defaults.monthlyTokens);
  const monthlyCostCents = lower(own.monthlyCostCents, defaults.monthlyCostCents);
  const planLimits: NonNullable<AiBudget['planLimits']> = {};
  if (monthlyTokens != null && monthlyTokens !== own.monthlyTokens) planLimits.monthlyTokens = defaults.source;
  if (monthlyCostCents != null && monthlyCostCents !== own.monthlyCostCents) planLimits.monthlyCostCents = defaults.source;
  return { ...own, monthlyTokens, monthlyCostCents, ...(Object.keys(planLimits).length > 0 ? { planLimits } : {}) };
}

/**
 * What a call needs to know about its tenant — AI settings, provider connections and, when a
 * budget is set, month-to-date usage — without a database round trip on a warm cache.
 *
 * - Settings and providers are cached per process (ADR 0011 as amended by 0013): every committed
 *   change publishes an invalidation for its tenant before its response is sent, which drops the
 *   entry here at once and on every other process as soon as the message arrives (RedisClient delivers
 *   it before the change answers). While this process is not subscribed (RedisClient down), nothing is
 *   served from memory. AI_SETTINGS_CACHE_TTL_MS bounds an entry's age should a publish fail.
 * - Month-to-date usage is a copy in Redis of the tenant's `ai_usage_months` row, read only when
 *   the tenant has a budget: each ended call is added before it answers (`usageAccepted`), so any
 *   call that starts after another has answered sees its usage, and the copy is raised to the
 *   committed totals when the usage rows are written (`usageCommitted`, which never lowers it).
 *   It can lag only by calls still in flight (true of any check made before a call) and by calls
 *   whose Redis update failed — until the next commit's update (absolute totals) or the key's
 *   expiry, when it is rebuilt from the table.
 * - Redis unreachable: settings, providers and usage are read from the database in one batch.
 */
@Injectable()
export class TenantAiState {
  private readonly logger = new Logger('AiGateway');
  private readonly config: InvalidatedCache<TenantConfig>;
  private readonly prefix: string;
  private lastWarnAt = -Infinity;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(aiGatewayConfig.token) gateway: AiGatewayConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly tx: TenantTransaction,
    private readonly bus: InvalidationBus,
    @Optional() @Inject(AI_BUDGET_DEFAULTS) private readonly budgetDefaults?: AiBudgetDefaults,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:ai`;
    this.config = bus.cache(TOPIC, { name: 'ai.settings', ttlMs: gateway.AI_SETTINGS_CACHE_TTL_MS, maxEntries: MAX_CACHED_TENANTS, settleBeforeHit: true });
  }

  async forCall(ctx: CommandContext): Promise<CallState> {
    const tenantId = ctx.tenantId;
    const month = monthOf(new Date());
    let fresh: CallState | null = null;
    const cached = await this.config.get(tenantId, async () => {
      fresh = await this.load(ctx, month, true);
      return { value: { settings: fresh.settings, providers: fresh.providers }, cacheUnder: tenantId };
    });
    const config = this.budgetDefaults ? { ...cached, settings: { ...cached.settings, budget: effectiveBudget(cached.settings.budget, await this.budgetDefaults.budgetFor(ctx)) } } : cached;
    if (!hasBudget(config.settings.budget)) return { ...config, used: null };
    if (fresh) {
      // Just read from the table: that is the month's usage, and the copy is raised to it.
      const used = (fresh as CallState).used!;
      await this.usageCommitted(tenantId, used);
      return { ...config, used };
    }
    try {
      const [calls, tokens, cost] = await this.redis.hmget(this.counterKey(tenantId, month), 'calls', 'tokens', 'cost');
      if (calls != null) return { ...config, used: { month, calls: Number(calls), tokens: Number(tokens), costMicros: Number(cost) } };
    } catch (error) {
      this.warn(error, 'Redis unavailable: reading AI usage from the database');
    }
    const [rows] = await this.tx.runBatch(ctx, [monthUsageStatement(tenantId, month)]);
    const used = monthUsageFromRows(rows!, month);
    await this.usageCommitted(tenantId, used);
    return { ...config, used };
  }

  /** After a committed change of settings or providers: every process reloads on its next call. */
  async changed(tenantId: string): Promise<void> {
    await this.bus.publish(TOPIC, tenantId);
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
