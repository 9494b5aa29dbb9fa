import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { InvalidationBus } from '../cache/invalidation-bus';
import type { InvalidatedCache } from '../cache/invalidated-cache';
import { ContextRegistry } from '../registry/context-registry';
import { evaluateFlag, TENANT_PLAN_SOURCE, type FeatureFlagDefinition, type FlagEvaluation, type FlagRule, type FlagSubject, type TenantPlanSource } from './feature-flag';
import { allFlagRules } from './feature-flags.sql';

/** The invalidation topic a saved or deleted rule is published on. */
export const FEATURE_FLAGS_TOPIC = 'platform.feature-flags';
/** The one cache key: the rules are read whole (a small table). */
const ALL = 'all';
/** Safety net should an invalidation be lost; a change is normally seen at once. */
const TTL_MS = 5 * 60_000;

export interface FeatureFlagHandle {
  readonly definition: FeatureFlagDefinition;
  isEnabled(subject: FlagSubject): Promise<boolean>;
}

/**
 * Evaluates feature flags in-process from a snapshot of every rule (a small table read whole),
 * dropped when a rule changes anywhere (the invalidation bus) and re-read on the next evaluation.
 * Reads the table with the platform's own connection (never inside a tenant's transaction).
 *
 * Evaluate before opening a transaction (rule 16): a read may go to the table or to Redis.
 *
 * Take a handle in the constructor (`flags.handle(MyFlag)`): a flag no registered context
 * declares then stops the process at boot instead of answering its default forever.
 */
@Injectable()
export class FeatureFlags {
  private readonly logger = new Logger('FeatureFlags');
  private readonly cache: Pick<InvalidatedCache<Map<string, FlagRule>>, 'get' | 'invalidate'> | null;
  private last: Map<string, FlagRule> | null = null;

  constructor(
    private readonly registry: ContextRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(InvalidationBus) private readonly bus?: InvalidationBus,
    @Optional() @Inject(TENANT_PLAN_SOURCE) private readonly plans?: TenantPlanSource,
  ) {
    // Served from memory only while invalidations are heard; while Redis is down every evaluation reads the table.
    this.cache = bus ? bus.cache<Map<string, FlagRule>>(FEATURE_FLAGS_TOPIC, { name: 'platform.feature_flags', ttlMs: TTL_MS, maxEntries: 1, settleBeforeHit: true }) : null;
  }

  /** Checked now: throws when no registered context declares this flag (call it in a constructor). */
  handle(definition: FeatureFlagDefinition): FeatureFlagHandle {
    this.declared(definition);
    return { definition, isEnabled: (subject) => this.isEnabled(definition, subject) };
  }

  async isEnabled(definition: FeatureFlagDefinition, subject: FlagSubject): Promise<boolean> {
    return (await this.evaluate(definition, subject)).enabled;
  }

  async evaluate(definition: FeatureFlagDefinition, subject: FlagSubject, now = new Date()): Promise<FlagEvaluation> {
    this.declared(definition);
    const rule = (await this.rules()).get(definition.name);
    return evaluateFlag(definition, rule, rule?.kind === 'plan' ? await this.withPlan(subject) : subject, now);
  }

  /** Every declared flag's answer for this subject (what `GET /v1/me` lists), by name. */
  async all(subject: FlagSubject, now = new Date()): Promise<Record<string, boolean>> {
    const rules = await this.rules();
    // The plan is asked once, and only when some rule depends on it.
    const withPlan = [...rules.values()].some((r) => r.kind === 'plan') ? await this.withPlan(subject) : subject;
    return Object.fromEntries(this.registry.featureFlags.map((f) => [f.name, evaluateFlag(f, rules.get(f.name), withPlan, now).enabled]));
  }

  /** The subject with its tenant's plan, from the tenant plan source (null without one). */
  async withPlan(subject: FlagSubject): Promise<FlagSubject> {
    if (subject.plan !== undefined) return subject;
    return { ...subject, plan: this.plans ? await this.plans.planOf(subject.tenantId) : null };
  }

  /** The plan codes a plan rule may name; null when no context sells plans. */
  async planCodes(): Promise<readonly string[] | null> {
    return this.plans ? this.plans.planCodes() : null;
  }

  /** After a committed change: dropped here at once, in the other processes when the bus tells them. */
  async changed(name: string): Promise<void> {
    if (this.bus) await this.bus.publish(FEATURE_FLAGS_TOPIC, ALL);
    else this.cache?.invalidate(ALL);
    this.logger.log({ flag: name }, 'Feature flag changed');
  }

  private declared(definition: FeatureFlagDefinition): void {
    if (this.registry.featureFlag(definition.name) !== definition) {
      throw new Error(`Feature flag "${definition.name}" is not declared by any registered context (add it to its context's featureFlags)`);
    }
  }

  private async rules(): Promise<Map<string, FlagRule>> {
    try {
      const load = async () => ({ value: new Map((await allFlagRules(this.dataSource)).map((r) => [r.name, r] as const)), cacheUnder: ALL });
      this.last = this.cache ? await this.cache.get(ALL, load) : (await load()).value;
      return this.last;
    } catch (error) {
      // A flag answers from the last rules read rather than failing the request that asked.
      if (this.last) {
        this.logger.warn({ err: String(error) }, 'Could not read feature flags; answering from the last rules read');
        return this.last;
      }
      throw error;
    }
  }
}
