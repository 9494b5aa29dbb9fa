import type { ExportedTicketMetrics, ExportCursor } from '../../domain/metrics-export';

/** The pages of a tenant's ticket metrics after `cursor` (from the start without one), oldest computation first. */
export class ExportTicketMetricsQuery {
  constructor(
    readonly tenantId: string,
    readonly cursor: ExportCursor | null,
  ) {}
}

export interface TicketMetricsExport {
  /** The cursor of the next incremental pull, known before the first row. */
  nextCursor: string;
  pages: AsyncIterable<ExportedTicketMetrics[]>;
}
