import { Query } from '@nestjs/cqrs';
import type { TicketView } from '../../repositories/tickets.sql';

export interface ExportPage {
  data: TicketView[];
  /** Pass back as `cursor` to continue; also valid after endOfStream, to poll for later changes. */
  nextCursor: string;
  endOfStream: boolean;
}

export const EXPORT_PAGE_SIZE = 1000;

/** Tickets changed at or after `since`, oldest change first: the feed BI tools poll. */
export class ExportTicketsQuery extends Query<ExportPage> {
  constructor(
    readonly tenantId: string,
    readonly since: string | undefined,
    readonly cursor: string | undefined,
    readonly limit: number = EXPORT_PAGE_SIZE,
  ) {
    super();
  }
}
