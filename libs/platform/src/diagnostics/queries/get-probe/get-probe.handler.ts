import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '../../../database/tenant-transaction';
import { notFound } from '../../../http/problem';
import { Probe } from '../../entities/probe.entity';
import { GetProbeQuery } from './get-probe.query';

@QueryHandler(GetProbeQuery)
export class GetProbeHandler implements IQueryHandler<GetProbeQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, probeId }: GetProbeQuery): Promise<Probe> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const probe = await tx.manager.findOneBy(Probe, { tenantId, id: probeId });
      if (!probe) throw notFound('Probe', probeId);
      return probe;
    });
  }
}
