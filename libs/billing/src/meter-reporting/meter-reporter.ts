import { Inject, Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetSeatUsageQuery } from '@switchboard/tenancy';
import { GetStorageUsageQuery } from '@switchboard/tickets';
import { billingConfig, type BillingConfig } from '../billing.context';
import { currentPeriod } from '../domain/usage';
import { MeterReportsRepository } from './meter-reports.repository';
import type { BillingCustomerRow, MeterReportRow } from './meter-reports.sql';
import { firstReportedDay, gaugeReport, meterDeltas, slicesOf, type GaugeCategory } from './meter-slices';
import { StripeMeters } from './stripe-meters';

/** Meter events in flight at once. */
const SEND_CONCURRENCY = 4;

export interface MeterRun {
  decided: number;
  sent: number;
  failed: number;
  rejected: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Reports tenants' usage to Stripe's meters in two steps, like the outbox (ADR 0062):
 *
 * 1. *Decide*, per tenant with a Stripe customer, in its transaction: each usage slice (a day of
 *    API requests, a day of one model's AI tokens) that grew since its last report gets a new
 *    report row carrying the growth, with the next sequence number and the identifier derived
 *    from them; stored bytes and seats (read from tickets and tenancy first) raise the period's
 *    high-water, and a new high-water gets a row carrying it. Nothing is sent yet (rule 16).
 * 2. *Send* the pending rows, oldest first, a batch per run: each success marks its row sent, a
 *    failure leaves it pending with its error (an invalid request is marked rejected instead).
 *
 * A retried row goes out with the same identifier and quantity, so Stripe counts it once, and a
 * slice's next delta is computed against every decided row, sent or not: nothing is counted twice.
 * Any row left pending by Stripe being unreachable makes the run fail, so BullMQ retries it with
 * backoff; the next scheduled run would pick it up anyway.
 */
@Injectable()
export class MeterReporter {
  private readonly logger = new Logger('Billing');

  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: MeterReportsRepository,
    private readonly meters: StripeMeters,
    @Inject(billingConfig.token) private readonly config: BillingConfig,
    private readonly queries: QueryBus,
  ) {}

  async run(now = new Date()): Promise<MeterRun> {
    const outcome: MeterRun = { decided: 0, sent: 0, failed: 0, rejected: 0 };
    if (!this.meters.configured) return outcome;
    const customers = await this.tx.runAsSystem((manager) => this.repository.customers(manager));
    for (const customer of customers) outcome.decided += await this.decide(customer, now);
    const pending = await this.tx.runAsSystem((manager) => this.repository.pending(manager, this.config.BILLING_METER_BATCH));
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const row = pending[next++]!;
        const result = await this.send(row);
        outcome[result] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, pending.length) }, worker));
    if (outcome.decided + outcome.sent + outcome.failed + outcome.rejected > 0) this.logger.log({ ...outcome }, 'Usage reported to Stripe meters');
    if (outcome.failed > 0) throw new Error(`${outcome.failed} meter events could not reach Stripe; they stay queued and are sent again`);
    return outcome;
  }

  /** Decides the reports of one tenant; returns how many were added. */
  private async decide(customer: BillingCustomerRow, now: Date): Promise<number> {
    const period = currentPeriod({ currentPeriodStart: iso(customer.current_period_start), currentPeriodEnd: iso(customer.current_period_end) }, now);
    const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    // Yesterday too, so the last hours of a period that just ended are still reported.
    const from = firstReportedDay(period.start < yesterday ? period.start : yesterday, now);
    const levels = await this.levels(customer.tenant_id);
    return this.tx.run({ tenantId: customer.tenant_id, actorId: null, correlationId: null }, async (tx) => {
      const usage = slicesOf(await this.repository.usageSince(tx, from));
      const reported = await this.repository.reportedSince(tx, from);
      let added = 0;
      for (const report of meterDeltas(customer.tenant_id, usage, reported, now)) {
        if (await this.repository.insert(tx, report, this.meters.eventName(report.category), customer.stripe_customer_id)) added += 1;
      }
      for (const [category, level] of levels) {
        const highWater = await this.repository.raiseGauge(tx, period.start, category, level);
        const report = gaugeReport(customer.tenant_id, category, period.start, highWater, await this.repository.lastGaugeReport(tx, category, period.start), now);
        if (report && (await this.repository.insert(tx, report, this.meters.eventName(category), customer.stripe_customer_id))) added += 1;
      }
      return added;
    });
  }

  /** Stored bytes and seats now, from the contexts that own them; a level that cannot be read is skipped this run. */
  private async levels(tenantId: string): Promise<Map<GaugeCategory, number>> {
    const levels = new Map<GaugeCategory, number>();
    try {
      levels.set('storage_bytes', await this.queries.execute(new GetStorageUsageQuery(tenantId)));
      levels.set('seats', await this.queries.execute(new GetSeatUsageQuery(tenantId)));
    } catch (error) {
      this.logger.warn({ tenantId, err: error instanceof Error ? error.message : String(error) }, 'Could not read stored bytes or seats; their high-water waits for the next run');
    }
    return levels;
  }

  private async send(row: MeterReportRow): Promise<'sent' | 'failed' | 'rejected'> {
    const result = await this.meters.send({
      eventName: row.event_name,
      identifier: row.identifier,
      customerId: row.stripe_customer_id,
      quantity: Number(row.quantity),
      eventAt: new Date(row.event_at),
      model: row.category === 'ai_tokens' ? row.dimension : null,
    });
    const context = { tenantId: row.tenant_id, actorId: null, correlationId: null };
    if (result.ok) {
      await this.tx.run(context, (tx) => this.repository.sent(tx, row.identifier));
      return 'sent';
    }
    await this.tx.run(context, (tx) => this.repository.failed(tx, row.identifier, result.error, result.rejected));
    if (result.rejected) this.logger.error({ tenantId: row.tenant_id, identifier: row.identifier, err: result.error }, 'Stripe rejected a meter event; it will not be sent again');
    return result.rejected ? 'rejected' : 'failed';
  }
}
