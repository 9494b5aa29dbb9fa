import { Query } from '@nestjs/cqrs';
import type { LeadView } from '../../repositories/leads.sql';

export class GetLeadQuery extends Query<LeadView> {
  constructor(
    readonly tenantId: string,
    readonly leadId: string,
  ) {
    super();
  }
}
