import { createHash } from 'node:crypto';

/**
 * A feature flag a context declares in its registration (`featureFlags: [...]`) and evaluates
 * through `FeatureFlags`. The name starts with the context's name (`tickets.learn-contact-language`);
 * operators configure it under `/v1/admin/feature-flags/{name}`; without a rule it is `default`.
 */
export interface FeatureFlagDefinition {
  readonly name: string;
  /** One line for operators (the admin list, the README). */
  readonly description: string;
  /** Its value when no rule is set, or the rule has expired. */
  readonly default: boolean;
}

export const FLAG_NAME = /^[a-z][a-z0-9-]{0,39}\.[a-z][a-z0-9-]{0,59}$/;

export function defineFeatureFlag(name: string, options: { description: string; default?: boolean }): FeatureFlagDefinition {
  return { name, description: options.description, default: options.default ?? false };
}

export const FLAG_KINDS = ['boolean', 'percentage', 'allow_list', 'plan'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** What operators set for a flag (one row of `feature_flags`). */
export interface FlagRule {
  name: string;
  /** boolean: on for everyone when enabled; percentage: on for a stable share of tenants or users; allow_list: on for the listed ones; plan: on for tenants on the listed plans. */
  kind: FlagKind;
  /** The kill switch: false turns the flag off for everyone but the per-tenant overrides. */
  enabled: boolean;
  /** 0–100, two decimals (percentage kind). */
  percentage: number;
  /** Whose id the percentage hashes: the tenant's (a whole tenant sees the same) or the user's. */
  rolloutBy: 'tenant' | 'user';
  allowTenants: string[];
  allowUsers: string[];
  /** Plan codes whose tenants see it (plan kind), as the tenant plan source names them. */
  plans: string[];
  /** Per-tenant answers that win over everything else but expiry. */
  tenantOverrides: Record<string, boolean>;
  /** After this instant the rule is ignored and the flag answers its default (clean-up reminder). */
  expiresAt: string | null;
  version: number;
  updatedAt: string;
}

export interface FlagSubject {
  tenantId: string;
  /** Absent for API keys and system work: a user-hashed rollout then hashes the tenant. */
  userId?: string | null;
  /**
   * The tenant's plan code, for plan rules: `FeatureFlags` asks the tenant plan source when this is
   * undefined; null means no plan is known (no context sells plans), and plan rules answer off.
   */
  plan?: string | null;
}

export type FlagReason = 'default' | 'expired' | 'tenant_override' | 'off' | 'on' | 'allow_list' | 'not_allowed' | 'rollout_in' | 'rollout_out' | 'plan' | 'not_on_plan';

export interface FlagEvaluation {
  enabled: boolean;
  reason: FlagReason;
}

/** 0–9999, the same for a flag and an id forever (so 10 % → 20 % keeps the first 10 % in). */
export function rolloutBucket(flagName: string, id: string): number {
  return createHash('sha256').update(`${flagName}:${id}`).digest().readUInt32BE(0) % 10_000;
}

/** Pure: what `rule` answers for `subject` at `now`. */
export function evaluateFlag(definition: FeatureFlagDefinition, rule: FlagRule | undefined, subject: FlagSubject, now: Date): FlagEvaluation {
  if (!rule) return { enabled: definition.default, reason: 'default' };
  if (rule.expiresAt !== null && Date.parse(rule.expiresAt) <= now.getTime()) return { enabled: definition.default, reason: 'expired' };
  const override = Object.hasOwn(rule.tenantOverrides, subject.tenantId) ? rule.tenantOverrides[subject.tenantId] : undefined;
  if (override !== undefined) return { enabled: override, reason: 'tenant_override' };
  if (!rule.enabled) return { enabled: false, reason: 'off' };
  switch (rule.kind) {
    case 'boolean':
      return { enabled: true, reason: 'on' };
    case 'allow_list': {
      const allowed = rule.allowTenants.includes(subject.tenantId) || (!!subject.userId && rule.allowUsers.includes(subject.userId));
      return { enabled: allowed, reason: allowed ? 'allow_list' : 'not_allowed' };
    }
    case 'plan': {
      const on = !!subject.plan && rule.plans.includes(subject.plan);
      return { enabled: on, reason: on ? 'plan' : 'not_on_plan' };
    }
    case 'percentage': {
      const id = rule.rolloutBy === 'user' && subject.userId ? subject.userId : subject.tenantId;
      const inside = rolloutBucket(rule.name, id) < Math.round(rule.percentage * 100);
      return { enabled: inside, reason: inside ? 'rollout_in' : 'rollout_out' };
    }
  }
}

/**
 * Where plan rules learn a tenant's plan: provided by the context that sells plans (none is
 * registered without one, and plan rules then answer off). Read outside any transaction, like
 * the rules themselves; the provider caches.
 */
export interface TenantPlanSource {
  /** The tenant's current plan code. */
  planOf(tenantId: string): Promise<string>;
  /** Every plan code there is (what a plan rule may name). */
  planCodes(): Promise<readonly string[]>;
}
export const TENANT_PLAN_SOURCE = 'platform.TenantPlanSource';
