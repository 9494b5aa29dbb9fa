import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ServicesRepository } from '../../repositories/services.repository';
import type { ServiceView } from '../../repositories/services.sql';
import { GetServiceQuery } from './get-service.query';

@QueryHandler(GetServiceQuery)
export class GetServiceHandler implements IQueryHandler<GetServiceQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly services: ServicesRepository,
  ) {}

  execute({ tenantId, serviceId }: GetServiceQuery): Promise<ServiceView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const service = await this.services.find(tx, serviceId, { live: true });
      if (!service) throw notFound('Service', serviceId);
      return service;
    });
  }
}
