import { Query } from '@nestjs/cqrs';
import type { ServiceView } from '../../repositories/services.sql';

export class GetServiceQuery extends Query<ServiceView> {
  constructor(
    readonly tenantId: string,
    readonly serviceId: string,
  ) {
    super();
  }
}
