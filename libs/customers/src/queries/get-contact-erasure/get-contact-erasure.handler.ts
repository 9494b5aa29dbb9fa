import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ContactErasuresRepository, type ErasureView } from '../../repositories/contact-erasures.repository';
import { GetContactErasureQuery } from './get-contact-erasure.query';

@QueryHandler(GetContactErasureQuery)
export class GetContactErasureHandler implements IQueryHandler<GetContactErasureQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly erasures: ContactErasuresRepository,
  ) {}

  execute({ tenantId, contactId }: GetContactErasureQuery): Promise<ErasureView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const erasure = await this.erasures.latestOfContact(tx, contactId);
      if (!erasure) throw notFound('Contact erasure', contactId);
      return erasure;
    });
  }
}
