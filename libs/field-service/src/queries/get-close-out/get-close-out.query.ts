import { Query } from '@nestjs/cqrs';
import type { CloseOutView } from '../../repositories/close-outs.sql';

export class GetCloseOutQuery extends Query<CloseOutView> {
  constructor(
    readonly tenantId: string,
    readonly jobId: string,
  ) {
    super();
  }
}
