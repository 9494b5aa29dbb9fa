import { ProblemException } from './problem';

/** A plan feature switch a context enforces: its key in the plan's feature list and how a refusal names it. */
export interface PlanFeatureSwitch {
  key: string;
  /** "AI assists", "Field service". */
  label: string;
  /** Whether the label reads as a plural ("AI assists are …", "Field service is …"). */
  plural: boolean;
}

/** Whether a tenant's plan includes a feature, and the plan's display name. */
export interface PlanFeature {
  included: boolean;
  plan: string;
}

/**
 * Where a context learns whether a tenant's plan includes one of its feature switches: provided by
 * the context that sells plans (billing); without a provider every feature is on. The features are
 * the enforcing contexts' own keys, so platform names none of them (like TENANT_REQUEST_LIMITS).
 */
export interface PlanFeaturePolicy {
  planFeature(tenantId: string, feature: string): Promise<PlanFeature>;
}
export const PLAN_FEATURE_POLICY = 'platform.PlanFeaturePolicy';

/** The 402 for a feature the plan does not include, or null. */
export function featureRefusal(feature: PlanFeatureSwitch, answer: PlanFeature): ProblemException | null {
  if (answer.included) return null;
  return new ProblemException({
    status: 402,
    type: 'plan-feature-unavailable',
    title: 'Payment Required',
    detail: `${feature.label} ${feature.plural ? 'are' : 'is'} not included in the ${answer.plan} plan. Upgrade the plan to use ${feature.plural ? 'them' : 'it'}.`,
    extensions: { feature: feature.key, plan: answer.plan },
  });
}

/**
 * Throws the 402 unless the policy (if any) says the tenant's plan includes the feature. The
 * policy reads a cached subscription (or joins the caller's transaction), so it may be asked inside one.
 */
export async function requirePlanFeature(policy: PlanFeaturePolicy | undefined, tenantId: string, feature: PlanFeatureSwitch): Promise<void> {
  if (!policy) return;
  const refusal = featureRefusal(feature, await policy.planFeature(tenantId, feature.key));
  if (refusal) throw refusal;
}
