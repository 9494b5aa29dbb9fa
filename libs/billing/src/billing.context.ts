import { defineConfig, defineContext, defineEvent, defineJob, defineSchedule, type ConfigOf, type QueueDefinition } from '@switchboard/platform';
import { z } from 'zod';
import { PLAN_CODES, type PlanCode, type SubscriptionStatus } from './domain/plans';
import { INVOICE_EVENTS } from './invoices/invoices.events';

export const SubscriptionChanged = defineEvent<{ plan: PlanCode; status: SubscriptionStatus; source: 'stripe' | 'operator' | 'checkout' | 'trial'; stripeEventId: string | null }>()('billing.subscription_changed', { aggregate: 'billing_subscription' });
export const CreditsGranted = defineEvent<{ amountCents: number; reason: string; balanceCents: number }>()('billing.credits_granted', { aggregate: 'billing_subscription' });

export const BudgetWarning = defineEvent<{ category: 'ai_spend' | 'api_requests'; periodStart: string; periodEnd: string; used: number; cap: number; percent: number; plan: string; unit: 'usd_cents' | 'requests' }>()('billing.budget_warning', {
  aggregate: 'billing_budget',
});
export const BudgetCapsChanged = defineEvent<{ by: 'tenant' | 'operator'; aiSpendCents: number | null; apiRequests: number | null }>()('billing.budget_caps_changed', { aggregate: 'billing_budget' });

export const BillingQueue: QueueDefinition = { name: 'billing', description: 'The usage meter: AI usage events and API request counts folded into per-tenant daily usage' };

export const FlushApiUsage = defineJob<Record<string, never>>()(BillingQueue, 'billing.flush-api-usage');
export const ApiUsageFlush = defineSchedule({
  id: 'billing.api-usage-flush',
  job: FlushApiUsage,
  every: 60_000,
  description: 'API request counts aggregated per tenant and minute in Redis, folded into daily usage once their minute is over',
});

export const ReportMeters = defineJob<Record<string, never>>()(BillingQueue, 'billing.report-meters');
export const MeterReporting = defineSchedule({
  id: 'billing.meter-reporting',
  job: ReportMeters,
  every: 60_000,
  description: 'Usage that grew since its last report sent to Stripe billing meters (deltas, deterministic identifiers); undelivered events retried',
});
export const ReconcileMeters = defineJob<Record<string, never>>()(BillingQueue, 'billing.reconcile-meters');
export const MeterReconciliation = defineSchedule({
  id: 'billing.meter-reconciliation',
  job: ReconcileMeters,
  every: 3_600_000,
  description: 'Per tenant and current period, our usage and reports against Stripe’s meter event summaries',
});
export const CheckBudgets = defineJob<Record<string, never>>()(BillingQueue, 'billing.check-budgets');
export const BudgetChecks = defineSchedule({
  id: 'billing.budget-checks',
  job: CheckBudgets,
  every: 60_000,
  description: 'Tenants with budget caps past the warning share of a cap: billing.budget_warning once per period and category',
});

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const billingConfig = defineConfig(
  'billing',
  {
    /** Stripe secret key (`sk_live_…`, `sk_test_…`). Unset: checkout and portal links answer 503; plans still apply. */
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    /** Signing secret of the Stripe webhook endpoint (`whsec_…`). Unset: the webhook answers 503. */
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    /**
     * Signing secret of the Connect webhook endpoint (events of tenants' connected accounts: their
     * customers paying invoices). Stripe gives a Connect endpoint its own secret; the webhook route
     * accepts a signature under either. Unset: only STRIPE_WEBHOOK_SECRET is tried.
     */
    STRIPE_CONNECT_WEBHOOK_SECRET: z.string().min(1).optional(),
    /** Where the Stripe SDK sends API calls; only tests and proxies change it. */
    STRIPE_API_URL: z.string().url().refine((v) => /^https?:\/\//.test(v), 'expected an http(s) URL').default('https://api.stripe.com'),
    /** How old a webhook's signature timestamp may be, in seconds (replays beyond it are refused). */
    STRIPE_WEBHOOK_TOLERANCE_S: int(1, 3600).default(300),
    /** Stripe price per paid plan, e.g. `team:price_123,business:price_456`. */
    STRIPE_PRICES: z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^(free|team|business):[A-Za-z0-9_]{1,200}$/, 'expected plan:price_id with plan free, team or business')))
      .transform((pairs) => Object.fromEntries(pairs.map((p) => p.split(':') as [string, string])) as Partial<Record<PlanCode, string>>)
      .default({}),
    /** Where Checkout and the Customer Portal send the customer back. */
    BILLING_RETURN_URL: z.string().url().default('http://localhost:3000/console'),
    /** The plan of a tenant that has no subscription yet (trialing, without an end). */
    BILLING_DEFAULT_PLAN: z.enum(PLAN_CODES).default('business'),
    /** Length of the trial a new tenant starts on the default plan, in days; 0: a trial without an end. */
    BILLING_TRIAL_DAYS: int(0, 365).default(14),
    /** Prefix of the Stripe meters' event names: `<prefix>api_requests`, `<prefix>ai_tokens` (sum meters). */
    STRIPE_METER_EVENT_PREFIX: z.string().regex(/^[a-z0-9_.-]{0,60}$/, 'expected lower-case letters, digits, _ . -').default('switchboard_'),
    /** Meter events sent to Stripe per reporting run at most (the rest waits for the next run). */
    BILLING_METER_BATCH: int(1, 10_000).default(500),
    /** Share of a budget cap, in percent, at which owners and admins are warned (once per period and category). */
    BILLING_BUDGET_WARNING_PERCENT: int(1, 100).default(80),
    /** How long a past_due, unpaid or canceled subscription keeps full access before writes are refused. */
    BILLING_GRACE_HOURS: int(0, 24 * 90).default(7 * 24),
  },
  (config) => (config.NODE_ENV === 'production' && config.STRIPE_SECRET_KEY && !config.STRIPE_WEBHOOK_SECRET ? ['STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY, or subscriptions never follow Stripe'] : []),
);
export type BillingConfig = ConfigOf<typeof billingConfig>;

/** Switchboard billing its tenants: plans, entitlements, subscriptions through Stripe, the usage meter (ADR 0052); tenants invoicing their customers (ADR 0061). */
export const billingContext = defineContext({
  name: 'billing',
  events: [SubscriptionChanged, CreditsGranted, BudgetWarning, BudgetCapsChanged, ...INVOICE_EVENTS],
  queues: [BillingQueue],
  jobs: [FlushApiUsage, ReportMeters, ReconcileMeters, CheckBudgets],
  schedules: [ApiUsageFlush, MeterReporting, MeterReconciliation, BudgetChecks],
  config: billingConfig,
});
