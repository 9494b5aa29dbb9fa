import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Metrics, TenantTransaction, withinMs } from '@switchboard/platform';
import { Gauge } from 'prom-client';
import { MeterReportsRepository } from './meter-reports.repository';

const READ_TIMEOUT_MS = 1_000;

/**
 * The reconciliation on `/metrics`, read from its table at scrape time (so every process that
 * registers it shows the same values; one read per scrape serves the three gauges).
 */
@Injectable()
export class MeterMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly tx: TenantTransaction,
    private readonly repository: MeterReportsRepository,
  ) {}

  onModuleInit(): void {
    let read: { at: number; rows: ReturnType<MeterReportsRepository['differenceTotals']> } | null = null;
    const totals = async () => {
      if (!read || Date.now() - read.at > READ_TIMEOUT_MS) read = { at: Date.now(), rows: this.tx.runAsSystem((m) => this.repository.differenceTotals(m)) };
      return (await withinMs(read.rows, READ_TIMEOUT_MS)) ?? [];
    };
    const gauge = (name: string, help: string, pick: (row: Awaited<ReturnType<MeterReportsRepository['differenceTotals']>>[number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['category'] as const,
        registers: [this.metrics.registry],
        async collect() {
          this.reset();
          for (const row of await totals()) this.set({ category: row.category }, pick(row));
        },
      });
    gauge('billing_meter_difference', 'Sum over tenants of |our usage − Stripe’s meter total| in their current period at the last reconciliation, by category (includes usage not reported yet)', (r) => r.difference);
    gauge('billing_meter_unexplained', 'Sum over tenants of |what we reported as sent − Stripe’s meter total| at the last reconciliation, by category: should be 0', (r) => r.unexplained);
    gauge('billing_meter_tenants_unexplained', 'Tenants whose Stripe meter total differs from what we reported as sent, by category', (r) => r.tenantsUnexplained);
  }
}
