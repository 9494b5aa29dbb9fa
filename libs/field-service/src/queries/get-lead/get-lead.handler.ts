import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { LeadsRepository } from '../../repositories/leads.repository';
import type { LeadView } from '../../repositories/leads.sql';
import { GetLeadQuery } from './get-lead.query';

@QueryHandler(GetLeadQuery)
export class GetLeadHandler implements IQueryHandler<GetLeadQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly leads: LeadsRepository,
  ) {}

  execute({ tenantId, leadId }: GetLeadQuery): Promise<LeadView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const lead = await this.leads.find(tx, leadId);
      if (!lead) throw notFound('Lead', leadId);
      return lead;
    });
  }
}
