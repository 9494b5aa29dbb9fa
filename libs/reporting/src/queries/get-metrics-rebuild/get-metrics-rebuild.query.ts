import { Query } from '@nestjs/cqrs';
import type { RebuildView } from '../../repositories/rebuilds.sql';

/** The tenant's latest metrics rebuild and how far it got. */
export class GetMetricsRebuildQuery extends Query<RebuildView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
