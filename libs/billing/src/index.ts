export { BillingModule } from './billing.module';
export { BillingHttpModule } from './billing-http.module';
export { BillingWorkerModule } from './billing-worker.module';
export { GetSubscriptionQuery, type SubscriptionStanding } from './queries/get-subscription/get-subscription.query';
export { GetUsageQuery } from './queries/get-usage/get-usage.query';
export type { Entitlements, Plan, PlanCode, SubscriptionStatus, SubscriptionView } from './domain/plans';
export type { UsageReport } from './domain/usage';
export { billingSql } from './repositories/billing.sql';
export * from './billing.context';
