import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BillingModule } from './billing.module';
import { AdminBillingController } from './http/admin-billing.controller';
import { BillingController } from './http/billing.controller';
import { StripeWebhookController } from './http/stripe-webhook.controller';
import { TenantStandingInterceptor } from './http/tenant-standing.interceptor';
import { INVOICE_CONTROLLERS } from './invoices/invoices.providers';
import { ApiUsageCounter } from './metering/api-usage-counter';
import { ApiBudgetInterceptor } from './budgets/api-budget.interceptor';
import { BudgetCapsController } from './budgets/http/budget-caps.controller';
import { AdminMeterController } from './meter-reporting/http/admin-meter.controller';

@Module({
  imports: [BillingModule],
  controllers: [BillingController, StripeWebhookController, AdminBillingController, BudgetCapsController, AdminMeterController, ...INVOICE_CONTROLLERS],
  providers: [ApiUsageCounter, { provide: APP_INTERCEPTOR, useClass: TenantStandingInterceptor }, { provide: APP_INTERCEPTOR, useClass: ApiBudgetInterceptor }],
})
export class BillingHttpModule {}
