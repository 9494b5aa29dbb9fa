import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { CsatFilter, CsatTotals, CsatView } from '../../repositories/csat.repository';

export type CsatReport = Page<CsatView> & { from: string; to: string; totals: CsatTotals };

export class ListCsatQuery extends Query<CsatReport> {
  constructor(
    readonly tenantId: string,
    readonly filter: CsatFilter,
    readonly page: { limit: number; cursor?: string },
  ) {
    super();
  }
}
