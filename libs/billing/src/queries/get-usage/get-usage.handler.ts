import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetSeatUsageQuery } from '@switchboard/tenancy';
import { GetStorageByTypeQuery, GetStorageUsageQuery } from '@switchboard/tickets';
import { MeterReportsRepository } from '../../meter-reporting/meter-reports.repository';
import { currentPeriod, usageReport, type UsageReport } from '../../domain/usage';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { BillingRepository } from '../../repositories/billing.repository';
import { GetUsageQuery } from './get-usage.query';

@QueryHandler(GetUsageQuery)
export class GetUsageHandler implements IQueryHandler<GetUsageQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BillingRepository,
    private readonly billing: TenantBilling,
    private readonly meterReports: MeterReportsRepository,
    private readonly queries: QueryBus,
  ) {}

  async execute({ tenantId }: GetUsageQuery): Promise<UsageReport> {
    const period = currentPeriod(await this.billing.current(tenantId), new Date());
    const storageNow = await this.queries.execute(new GetStorageUsageQuery(tenantId));
    const seatsNow = await this.queries.execute(new GetSeatUsageQuery(tenantId));
    const storageByType = await this.queries.execute(new GetStorageByTypeQuery(tenantId));
    const [rows, highWater] = await this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => [await this.repository.usage(tx, period.start, period.end), await this.meterReports.gauges(tx, period.start)] as const);
    const report = usageReport(
      period,
      rows.map((r) => ({ day: r.day, category: r.category, dimension: r.dimension, quantity: Number(r.quantity), costMicros: Number(r.cost_micros) })),
    );
    // The high-water is sampled by the meter reporting (tenants billed through Stripe); now counts too.
    const levels = {
      storageBytes: { now: storageNow, highWater: Math.max(storageNow, highWater.get('storage_bytes') ?? 0) },
      seats: { now: seatsNow, highWater: Math.max(seatsNow, highWater.get('seats') ?? 0) },
      storageByType,
    };
    return { ...report, levels };
  }
}
