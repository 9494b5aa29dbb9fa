import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ProblemException, type SwitchboardRequest } from '@switchboard/platform';
import type { Observable } from 'rxjs';
import { secondsUntil } from './budget-caps';
import { BudgetCaps } from './budget-caps.service';

/** What a tenant past its cap may still do: sign in and out, and change its caps or plan. */
const ALWAYS_ALLOWED = /^\/v1\/(billing|auth)(\/|$)/;

/**
 * The hard cap on API requests per billing period: a tenant whose period count (as the meter has
 * folded it, about two minutes behind) reached its cap gets 429 until the period ends or the cap
 * is raised. A tenant without an API cap costs one cached read of its caps.
 */
@Injectable()
export class ApiBudgetInterceptor implements NestInterceptor {
  constructor(private readonly caps: BudgetCaps) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<SwitchboardRequest>();
    const tenantId = req.principal?.kind !== 'platform-admin' ? req.principal?.tenantId : null;
    if (!tenantId || ALWAYS_ALLOWED.test(req.path)) return next.handle();
    const stored = await this.caps.stored(tenantId);
    if (stored.apiRequests === null && stored.overrideApiRequests === null) return next.handle();
    const applied = await this.caps.applied(tenantId);
    const cap = applied.lines.api_requests;
    if (cap.effective === null) return next.handle();
    const used = await this.caps.periodRequests(tenantId, applied.period);
    if (used < cap.effective) return next.handle();
    const retryAfter = secondsUntil(applied.period.end, Date.now());
    const whose = cap.effectiveSource === 'tenant' ? 'the cap this tenant set' : 'the limit set for this tenant by the operator';
    throw new ProblemException({
      status: 429,
      type: 'api-request-budget-exhausted',
      title: 'Too Many Requests',
      headers: { 'Retry-After': String(retryAfter) },
      detail: `This tenant has made ${used} API requests in the billing period that ends ${applied.period.end}, reaching ${whose} (${cap.effective}) on the ${applied.plan} plan. Raise it with PUT /v1/billing/budget-caps or wait for the next period.`,
      extensions: { limit: 'api-requests-per-period', plan: applied.plan, allowed: cap.effective, used, capSetBy: cap.effectiveSource, periodEnd: applied.period.end },
    });
  }
}
