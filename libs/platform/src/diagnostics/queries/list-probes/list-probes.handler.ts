import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '../../../database/tenant-transaction';
import { paginate, type Page } from '../../../http/pagination';
import { Probe } from '../../entities/probe.entity';
import { ListProbesQuery } from './list-probes.query';

@QueryHandler(ListProbesQuery)
export class ListProbesHandler implements IQueryHandler<ListProbesQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, page }: ListProbesQuery): Promise<Page<Probe>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) =>
      paginate(
        tx.manager.createQueryBuilder(Probe, 'p').where('p.tenant_id = :tenantId', { tenantId }),
        [
          { column: 'p.created_at', value: (p) => p.createdAt },
          { column: 'p.id', value: (p) => p.id },
        ],
        'DESC',
        page,
      ),
    );
  }
}
