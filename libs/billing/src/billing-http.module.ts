import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BillingModule } from './billing.module';
import { AdminBillingController } from './http/admin-billing.controller';
import { BillingController } from './http/billing.controller';
import { StripeWebhookController } from './http/stripe-webhook.controller';
import { TenantStandingInterceptor } from './http/tenant-standing.interceptor';
import { INVOICE_CONTROLLERS } from './invoices/invoices.providers';
import { ApiUsageCounter } from './metering/api-usage-counter';

@Module({
  imports: [BillingModule],
  controllers: [BillingController, StripeWebhookController, AdminBillingController, ...INVOICE_CONTROLLERS],
  providers: [ApiUsageCounter, { provide: APP_INTERCEPTOR, useClass: TenantStandingInterceptor }],
})
export class BillingHttpModule {}
