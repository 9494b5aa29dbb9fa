import { Query } from '@nestjs/cqrs';
import type { Page, PageQueryDto } from '../../../http/pagination';
import type { Probe } from '../../entities/probe.entity';

export class ListProbesQuery extends Query<Page<Probe>> {
  constructor(
    readonly tenantId: string,
    readonly page: PageQueryDto,
  ) {
    super();
  }
}
