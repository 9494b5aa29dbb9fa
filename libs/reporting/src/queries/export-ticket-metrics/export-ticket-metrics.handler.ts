import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, type TenantTx } from '@switchboard/platform';
import { CURSOR_OVERLAP_SECONDS, cursorSince, type ExportCursor, type ExportedTicketMetrics } from '../../domain/metrics-export';
import { MetricsRepository } from '../../repositories/metrics.repository';
import { ExportTicketMetricsQuery, type TicketMetricsExport } from './export-ticket-metrics.query';

/** Rows per page: each page is its own short read, so an export of any size holds one page in memory and no transaction open. */
export const EXPORT_PAGE = 500;

@QueryHandler(ExportTicketMetricsQuery)
export class ExportTicketMetricsHandler implements IQueryHandler<ExportTicketMetricsQuery, TicketMetricsExport> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly metrics: MetricsRepository,
  ) {}

  async execute({ tenantId, cursor }: ExportTicketMetricsQuery): Promise<TicketMetricsExport> {
    const read = <T>(work: (tx: TenantTx) => Promise<T>) => this.tx.run({ tenantId, actorId: null, correlationId: null }, work);
    const since = await read((tx) => this.metrics.databaseTime(tx, CURSOR_OVERLAP_SECONDS));
    const metrics = this.metrics;
    async function* pages(): AsyncGenerator<ExportedTicketMetrics[]> {
      let after: ExportCursor | null = cursor;
      for (;;) {
        const page = await read((tx) => metrics.exportPage(tx, after, EXPORT_PAGE));
        if (page.length > 0) yield page;
        if (page.length < EXPORT_PAGE) return;
        const last = page[page.length - 1]!;
        after = { after: last.computedAt, ticketId: last.ticketId };
      }
    }
    return { nextCursor: cursorSince(since), pages: pages() };
  }
}
