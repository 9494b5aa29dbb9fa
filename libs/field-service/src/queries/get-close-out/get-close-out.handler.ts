import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { CloseOutsRepository } from '../../repositories/close-outs.repository';
import type { CloseOutView } from '../../repositories/close-outs.sql';
import { GetCloseOutQuery } from './get-close-out.query';

@QueryHandler(GetCloseOutQuery)
export class GetCloseOutHandler implements IQueryHandler<GetCloseOutQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly closeOuts: CloseOutsRepository,
  ) {}

  execute({ tenantId, jobId }: GetCloseOutQuery): Promise<CloseOutView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const closeOut = await this.closeOuts.find(tx, jobId);
      if (!closeOut) throw notFound('Close-out of job', jobId);
      return closeOut;
    });
  }
}
