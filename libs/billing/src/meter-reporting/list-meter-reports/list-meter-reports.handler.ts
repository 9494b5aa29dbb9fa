import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { MeterReportsRepository } from '../meter-reports.repository';
import { ListMeterReportsQuery, type MeterReportView } from './list-meter-reports.query';

@QueryHandler(ListMeterReportsQuery)
export class ListMeterReportsHandler implements IQueryHandler<ListMeterReportsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: MeterReportsRepository,
  ) {}

  async execute({ tenantId, limit }: ListMeterReportsQuery): Promise<MeterReportView[]> {
    const rows = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.repository.ofTenant(tx, limit));
    return rows.map((r) => ({
      identifier: r.identifier,
      category: r.category,
      dimension: r.dimension,
      day: r.day,
      seq: r.seq,
      quantity: Number(r.quantity),
      eventName: r.event_name,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: new Date(r.created_at).toISOString(),
      sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    }));
  }
}
