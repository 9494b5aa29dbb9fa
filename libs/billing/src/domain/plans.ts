export const PLAN_CODES = ['free', 'team', 'business'] as const;
export type PlanCode = (typeof PLAN_CODES)[number];

export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'unpaid', 'canceled', 'incomplete'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** What a plan allows; null is unlimited. */
export interface Entitlements {
  seats: number | null;
  aiMonthlyTokens: number | null;
  aiMonthlyCostCents: number | null;
  apiRequestsPerMinute: number | null;
  storageBytes: number | null;
  features: string[];
}

export interface Plan {
  code: PlanCode;
  name: string;
  entitlements: Entitlements;
}

export interface SubscriptionView {
  plan: Plan;
  status: SubscriptionStatus;
  /** True when no subscription row exists yet: the default plan's open trial. */
  implicit: boolean;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  trialEndsAt: string | null;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  /** Since when the subscription has not been in good standing (past_due, unpaid, canceled). */
  lapsedAt: string | null;
  creditCents: number;
  version: number;
  updatedAt: string | null;
}

const LAPSED: ReadonlySet<SubscriptionStatus> = new Set(['past_due', 'unpaid', 'canceled', 'incomplete']);

/** Whether a status is out of good standing (the grace period runs from `lapsedAt`). */
export const isLapsedStatus = (status: SubscriptionStatus) => LAPSED.has(status);

/**
 * A tenant is limited (reads only) once its subscription has been out of good standing for
 * longer than the grace period, or its trial ended that long ago without a paid subscription.
 */
export function isLimited(sub: Pick<SubscriptionView, 'status' | 'lapsedAt' | 'trialEndsAt'>, graceMs: number, now: number): boolean {
  if (isLapsedStatus(sub.status)) return sub.lapsedAt !== null && Date.parse(sub.lapsedAt) + graceMs <= now;
  if (sub.status === 'trialing' && sub.trialEndsAt !== null) return Date.parse(sub.trialEndsAt) + graceMs <= now;
  return false;
}

/** When a trial that started at `start` ends; null (no end) for 0 days. */
export function trialEnd(start: Date, days: number): string | null {
  return days > 0 ? new Date(start.getTime() + days * 86_400_000).toISOString() : null;
}

/** Stripe's subscription statuses mapped onto ours (`incomplete_expired` and `paused` stop service like a cancellation). */
export function statusFromStripe(status: string): SubscriptionStatus {
  switch (status) {
    case 'trialing':
    case 'active':
    case 'past_due':
    case 'unpaid':
    case 'canceled':
    case 'incomplete':
      return status;
    default:
      return 'canceled';
  }
}
