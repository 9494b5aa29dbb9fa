import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import type { Plan } from '../../domain/plans';
import { BillingRepository } from '../../repositories/billing.repository';
import { ListPlansQuery } from './list-plans.query';

@QueryHandler(ListPlansQuery)
export class ListPlansHandler implements IQueryHandler<ListPlansQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BillingRepository,
  ) {}

  execute({ tenantId }: ListPlansQuery): Promise<Plan[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.repository.plans(tx));
  }
}
