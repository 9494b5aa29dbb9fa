import { ProblemException, type CommandContext } from '@switchboard/platform';

/** The plan features the tickets context gates, with how a refusal names them. */
export const TICKETS_PLAN_FEATURES = { ai_assists: 'AI assists' } as const;
export type TicketsPlanFeature = keyof typeof TICKETS_PLAN_FEATURES;

/** Whether the tenant's plan includes a feature, and the plan's display name. */
export interface PlanFeature {
  included: boolean;
  plan: string;
}

/**
 * The tickets context's extension point for plan features (AI assists): a context that sells
 * plans (billing) provides it; without a provider every feature is on. Tickets never names that
 * context (like SEAT_LIMIT_POLICY and STORAGE_QUOTA_POLICY).
 */
export interface PlanFeaturePolicy {
  planFeature(context: CommandContext, feature: TicketsPlanFeature): Promise<PlanFeature>;
}

export const PLAN_FEATURE_POLICY = Symbol.for('switchboard.tickets.plan-feature-policy');

/** The 402 for a feature the plan does not include, or null. */
export function featureRefusal(feature: TicketsPlanFeature, answer: PlanFeature): ProblemException | null {
  if (answer.included) return null;
  const label = TICKETS_PLAN_FEATURES[feature];
  return new ProblemException({
    status: 402,
    type: 'plan-feature-unavailable',
    title: 'Payment Required',
    detail: `${label} are not included in the ${answer.plan} plan. Upgrade the plan to use them.`,
    extensions: { feature, plan: answer.plan },
  });
}

/** Throws the 402 unless the policy (if any) says the tenant's plan includes the feature. Call before opening a transaction. */
export async function requirePlanFeature(policy: PlanFeaturePolicy | undefined, context: CommandContext, feature: TicketsPlanFeature): Promise<void> {
  if (!policy) return;
  const refusal = featureRefusal(feature, await policy.planFeature(context, feature));
  if (refusal) throw refusal;
}
