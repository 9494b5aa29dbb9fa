import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
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
  ) {}

  async execute({ tenantId }: GetUsageQuery): Promise<UsageReport> {
    const period = currentPeriod(await this.billing.current(tenantId), new Date());
    const rows = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.repository.usage(tx, period.start, period.end));
    return usageReport(
      period,
      rows.map((r) => ({ day: r.day, category: r.category, dimension: r.dimension, quantity: Number(r.quantity), costMicros: Number(r.cost_micros) })),
    );
  }
}
