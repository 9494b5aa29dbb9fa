import { Injectable, Logger } from '@nestjs/common';
import { TenantTransaction } from '@switchboard/platform';
import { currentPeriod } from '../domain/usage';
import { MeterReportsRepository } from './meter-reports.repository';
import { differenceOf, REPORT_CATEGORIES, unexplainedOf, type ReconciliationLine } from './meter-slices';
import { StripeMeters } from './stripe-meters';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const unixDay = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/**
 * Per tenant with a Stripe customer and its current period: our usage, what we sent and what is
 * still pending, against Stripe's event summaries of the same customer and meter. Stripe is asked
 * outside any transaction; each tenant's lines are then stored (the latest check per period),
 * which `/metrics` and the operators' reconciliation list read.
 */
@Injectable()
export class MeterReconciler {
  private readonly logger = new Logger('Billing');

  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: MeterReportsRepository,
    private readonly meters: StripeMeters,
  ) {}

  /** Returns how many tenants were checked; throws (for a retry) if Stripe could not be asked for some. */
  async reconcile(now = new Date()): Promise<number> {
    if (!this.meters.configured) return 0;
    const customers = await this.tx.runAsSystem((manager) => this.repository.customers(manager));
    let checked = 0;
    const failures: string[] = [];
    for (const customer of customers) {
      const context = { tenantId: customer.tenant_id, actorId: null, correlationId: null };
      const period = currentPeriod({ currentPeriodStart: iso(customer.current_period_start), currentPeriodEnd: iso(customer.current_period_end) }, now);
      // Stripe's summaries take whole minutes; the end is the next minute at the latest.
      const end = Math.min(unixDay(period.end), Math.ceil(now.getTime() / 60_000) * 60);
      let stripe: Map<string, number>;
      try {
        stripe = new Map(await Promise.all(REPORT_CATEGORIES.map(async (category) => [category, await this.meters.summary(category, customer.stripe_customer_id, unixDay(period.start), end)] as const)));
      } catch (error) {
        failures.push(`${customer.tenant_id}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const lines = await this.tx.run(context, async (tx) => {
        const totals = await this.repository.periodTotals(tx, period.start, period.end);
        const stored: ReconciliationLine[] = [];
        for (const total of totals) {
          const line = { ...total, stripe: Math.round(stripe.get(total.category) ?? 0) };
          await this.repository.saveReconciliation(tx, period.start, period.end, line);
          stored.push(line);
        }
        return stored;
      });
      checked += 1;
      for (const line of lines) {
        if (unexplainedOf(line) !== 0) this.logger.warn({ tenantId: customer.tenant_id, ...line, difference: differenceOf(line) }, 'Stripe’s meter total differs from what was reported');
      }
    }
    if (failures.length > 0) throw new Error(`Stripe’s meter summaries could not be read for ${failures.length} tenant(s): ${failures.slice(0, 3).join('; ')}`);
    return checked;
  }
}
