import { Global, Module } from '@nestjs/common';
import { AI_BUDGET_DEFAULTS } from '@switchboard/ai-gateway';
import { PLAN_FEATURE_POLICY, TENANT_PLAN_SOURCE, TENANT_REQUEST_LIMITS } from '@switchboard/platform';
import { SEAT_LIMIT_POLICY } from '@switchboard/tenancy';
import { STORAGE_QUOTA_POLICY } from '@switchboard/tickets';
import { ApplyStripeEventHandler } from './commands/apply-stripe-event/apply-stripe-event.handler';
import { ChangePlanHandler } from './commands/change-plan/change-plan.handler';
import { GrantCreditsHandler } from './commands/grant-credits/grant-credits.handler';
import { OpenPortalHandler } from './commands/open-portal/open-portal.handler';
import { StartCheckoutHandler } from './commands/start-checkout/start-checkout.handler';
import { PlanLimits } from './entitlements/plan-limits';
import { INVOICE_PROVIDERS } from './invoices/invoices.providers';
import { InvoicesRepository } from './invoices/repositories/invoices.repository';
import { TenantBilling } from './entitlements/tenant-billing.service';
import { GetSubscriptionHandler } from './queries/get-subscription/get-subscription.handler';
import { GetUsageHandler } from './queries/get-usage/get-usage.handler';
import { ListPlansHandler } from './queries/list-plans/list-plans.handler';
import { ListSubscriptionsHandler } from './queries/list-subscriptions/list-subscriptions.handler';
import { BillingRepository } from './repositories/billing.repository';
import { StripeGateway } from './stripe/stripe-gateway';
import { BudgetCapsRepository } from './budgets/budget-caps.repository';
import { BudgetCaps } from './budgets/budget-caps.service';
import { CappedAiBudget } from './budgets/capped-ai-budget';
import { GetBudgetCapsHandler } from './budgets/get-budget-caps/get-budget-caps.handler';
import { SetBudgetCapsHandler } from './budgets/set-budget-caps/set-budget-caps.handler';
import { ListMeterReportsHandler } from './meter-reporting/list-meter-reports/list-meter-reports.handler';
import { ListReconciliationsHandler } from './meter-reporting/list-reconciliations/list-reconciliations.handler';
import { MeterReportsRepository } from './meter-reporting/meter-reports.repository';
import { StripeMeters } from './meter-reporting/stripe-meters';

/**
 * Plans, subscriptions, Stripe and the meter's store; shared by the api and the worker. Global so
 * that the entitlements it offers reach tenancy's and the AI gateway's extension points (their
 * tokens, their interfaces) wherever those contexts are loaded, without them naming billing.
 */
@Global()
@Module({
  providers: [
    BillingRepository,
    TenantBilling,
    StripeGateway,
    PlanLimits,
    { provide: SEAT_LIMIT_POLICY, useExisting: PlanLimits },
    // The plan's AI budget with the tenant's budget caps applied (ADR 0062).
    { provide: AI_BUDGET_DEFAULTS, useExisting: CappedAiBudget },
    { provide: TENANT_PLAN_SOURCE, useExisting: PlanLimits },
    { provide: TENANT_REQUEST_LIMITS, useExisting: PlanLimits },
    { provide: STORAGE_QUOTA_POLICY, useExisting: PlanLimits },
    { provide: PLAN_FEATURE_POLICY, useExisting: PlanLimits },
    StartCheckoutHandler,
    OpenPortalHandler,
    ApplyStripeEventHandler,
    ChangePlanHandler,
    GrantCreditsHandler,
    GetSubscriptionHandler,
    GetUsageHandler,
    ListPlansHandler,
    ListSubscriptionsHandler,
    BudgetCapsRepository,
    BudgetCaps,
    CappedAiBudget,
    GetBudgetCapsHandler,
    SetBudgetCapsHandler,
    MeterReportsRepository,
    StripeMeters,
    ListReconciliationsHandler,
    ListMeterReportsHandler,
    ...INVOICE_PROVIDERS,
  ],
  exports: [SEAT_LIMIT_POLICY, AI_BUDGET_DEFAULTS, TENANT_PLAN_SOURCE, TENANT_REQUEST_LIMITS, STORAGE_QUOTA_POLICY, PLAN_FEATURE_POLICY, BillingRepository, TenantBilling, InvoicesRepository, BudgetCaps, BudgetCapsRepository, MeterReportsRepository, StripeMeters],
})
export class BillingModule {}
