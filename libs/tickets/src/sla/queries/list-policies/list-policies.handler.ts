import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { PoliciesRepository } from '../../repositories/policies.repository';
import type { PolicyView } from '../../repositories/policies.sql';
import { ListPoliciesQuery } from './list-policies.query';

@QueryHandler(ListPoliciesQuery)
export class ListPoliciesHandler implements IQueryHandler<ListPoliciesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly policies: PoliciesRepository,
  ) {}

  execute({ tenantId, policyId }: ListPoliciesQuery): Promise<PolicyView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!policyId) return this.policies.list(tx);
      const policy = await this.policies.find(tx, policyId);
      if (!policy) throw notFound('SLA policy', policyId);
      return [policy];
    });
  }
}
