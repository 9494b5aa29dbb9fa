import { Query } from '@nestjs/cqrs';
import type { PolicyView } from '../../repositories/policies.sql';

/** The tenant's SLA policies in the order they are tried (`policyId`: just that one, a 404 when it is not live). */
export class ListPoliciesQuery extends Query<PolicyView[]> {
  constructor(
    readonly tenantId: string,
    readonly policyId?: string,
  ) {
    super();
  }
}
