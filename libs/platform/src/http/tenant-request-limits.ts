import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { InvalidationBus } from '../cache/invalidation-bus';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

/** A tenant's API requests per minute as the context that sells plans sees it. */
export interface TenantRequestLimit {
  /** Requests per minute; null is unlimited (the configured limit applies). */
  perMinute: number | null;
  /** The plan's display name ("Free"), named in a 429. */
  plan: string;
}

/**
 * Where the per-tenant rate limit learns a tenant's plan limit: provided by the context that sells
 * plans (none without one: every tenant then has RATE_LIMIT_TENANT_PER_MINUTE). The provider
 * publishes a tenant id on `requestLimitTopic` of the invalidation bus when that tenant's limit
 * may have changed, so every process reads it again at once.
 */
export interface TenantRequestLimitSource {
  readonly requestLimitTopic: string;
  requestLimitOf(tenantId: string): Promise<TenantRequestLimit>;
}
export const TENANT_REQUEST_LIMITS = 'platform.TenantRequestLimitSource';

/** The limit a tenant's bucket counts against, and how a 429 names it. */
export interface ResolvedRequestLimit {
  limit: number;
  /** "on the Free plan", or "for this tenant" when the configured limit is the tighter one. */
  name: string;
  /** The plan's name when the plan's limit is the one that applies, else null. */
  plan: string | null;
}

/** Short: a safety net should an invalidation be lost; a change is normally seen at once. */
const TTL_MS = 30_000;
const MAX_TENANTS = 50_000;

/**
 * The tenant bucket's limit, known synchronously for tenants seen in the last TTL_MS (so the rate
 * limiters keep their no-await fast path) and loaded once per tenant otherwise. The configured
 * RATE_LIMIT_TENANT_PER_MINUTE is the deployment's ceiling: a plan may lower it, never raise it
 * past it (ADR 0052, addendum), like an AI budget where the lower of plan and tenant wins.
 */
@Injectable()
export class TenantRequestLimits implements OnModuleInit {
  private readonly logger = new Logger('TenantRequestLimits');
  private readonly entries = new Map<string, { value: ResolvedRequestLimit; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<ResolvedRequestLimit>>();
  private readonly configured: ResolvedRequestLimit;
  /** Bumped by every invalidation: a load in flight across one is returned but not kept. */
  private generation = 0;

  constructor(
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'RATE_LIMIT_TENANT_PER_MINUTE'>,
    @Optional() @Inject(TENANT_REQUEST_LIMITS) private readonly source?: TenantRequestLimitSource,
    @Optional() @Inject(InvalidationBus) private readonly bus?: Pick<InvalidationBus, 'onInvalidate'>,
  ) {
    this.configured = { limit: config.RATE_LIMIT_TENANT_PER_MINUTE, name: 'for this tenant', plan: null };
  }

  onModuleInit(): void {
    if (this.source && this.bus) this.bus.onInvalidate(this.source.requestLimitTopic, (tenantId) => this.invalidate(tenantId));
  }

  /** The limit when known without waiting (always, without a plan source), else null. */
  known(tenantId: string): ResolvedRequestLimit | null {
    if (!this.source) return this.configured;
    const entry = this.entries.get(tenantId);
    if (entry && entry.expiresAt > performance.now()) return entry.value;
    return null;
  }

  /** The limit, loaded from the plan source when not known; one load per tenant at a time. */
  resolve(tenantId: string): ResolvedRequestLimit | Promise<ResolvedRequestLimit> {
    const known = this.known(tenantId);
    if (known) return known;
    let load = this.loading.get(tenantId);
    if (!load) {
      const started: Promise<ResolvedRequestLimit> = this.load(tenantId).finally(() => {
        if (this.loading.get(tenantId) === started) this.loading.delete(tenantId);
      });
      this.loading.set(tenantId, (load = started));
    }
    return load;
  }

  invalidate(tenantId: string): void {
    this.generation++;
    this.entries.delete(tenantId);
    this.loading.delete(tenantId);
  }

  private async load(tenantId: string): Promise<ResolvedRequestLimit> {
    const generation = this.generation;
    let value: ResolvedRequestLimit;
    try {
      value = tighter(this.configured, await this.source!.requestLimitOf(tenantId));
    } catch (error) {
      // The plan unreadable (database down): the configured limit, not a refusal of everything.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error), tenantId }, 'Could not read the tenant’s plan limit; the configured limit applies');
      return this.configured;
    }
    if (generation === this.generation) {
      this.entries.delete(tenantId);
      this.entries.set(tenantId, { value, expiresAt: performance.now() + TTL_MS });
      if (this.entries.size > MAX_TENANTS) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }
}

/** The plan's limit when it is set and not above the configured one, else the configured one. */
export function tighter(configured: ResolvedRequestLimit, plan: TenantRequestLimit): ResolvedRequestLimit {
  if (plan.perMinute === null || plan.perMinute > configured.limit) return configured;
  return { limit: plan.perMinute, name: `on the ${plan.plan} plan`, plan: plan.plan };
}
