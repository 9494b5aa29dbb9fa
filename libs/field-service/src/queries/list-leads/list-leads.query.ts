import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { LeadStatus } from '../../domain/leads';
import type { LeadView } from '../../repositories/leads.sql';

export class ListLeadsQuery extends Query<Page<LeadView>> {
  constructor(
    readonly tenantId: string,
    readonly page: { limit: number; cursor?: string; status?: LeadStatus },
  ) {
    super();
  }
}
