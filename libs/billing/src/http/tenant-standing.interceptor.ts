import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ProblemException, type SwitchboardRequest } from '@switchboard/platform';
import type { Observable } from 'rxjs';
import { TenantBilling } from '../entitlements/tenant-billing.service';
import { ApiUsageCounter, endpointGroup } from '../metering/api-usage-counter';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What a limited tenant may still do: sign in and out, and pay. */
const ALWAYS_ALLOWED = /^\/v1\/(billing|auth)(\/|$)/;

/**
 * After authentication, for every tenant request: counts it for the usage meter, and refuses
 * writes of a tenant whose subscription lapsed more than the grace period ago (reads still
 * work, and so does paying). Registered by billing's HTTP module; the platform does not know it.
 */
@Injectable()
export class TenantStandingInterceptor implements NestInterceptor {
  constructor(
    private readonly billing: TenantBilling,
    private readonly counter: ApiUsageCounter,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<SwitchboardRequest>();
    const tenantId = req.principal?.kind !== 'platform-admin' ? req.principal?.tenantId : null;
    if (!tenantId) return next.handle();
    const path = req.path;
    this.counter.count(tenantId, endpointGroup(path));
    if (READS.has(req.method) || ALWAYS_ALLOWED.test(path)) return next.handle();
    const subscription = await this.billing.current(tenantId);
    if (this.billing.limited(subscription)) {
      throw new ProblemException({
        status: 402,
        type: 'subscription-lapsed',
        title: 'Payment Required',
        detail: `This tenant's ${subscription.plan.name} subscription is ${subscription.status.replace('_', ' ')} and its grace period is over: data can be read but not changed. Renew through POST /v1/billing/portal or /v1/billing/checkout.`,
        extensions: { plan: subscription.plan.name, subscriptionStatus: subscription.status, lapsedAt: subscription.lapsedAt ?? subscription.trialEndsAt },
      });
    }
    return next.handle();
  }
}
