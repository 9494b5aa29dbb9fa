import { Query } from '@nestjs/cqrs';
import type { ExportedTicketMetrics, ExportCursor } from '../../domain/metrics-export';

export interface TicketMetricsExport {
  /** The cursor of the next incremental pull, known before the first row. */
  nextCursor: string;
  pages: AsyncIterable<ExportedTicketMetrics[]>;
}

/** The pages of a tenant's ticket metrics after `cursor` (from the start without one), oldest computation first. */
export class ExportTicketMetricsQuery extends Query<TicketMetricsExport> {
  constructor(
    readonly tenantId: string,
    readonly cursor: ExportCursor | null,
  ) {
    super();
  }
}
