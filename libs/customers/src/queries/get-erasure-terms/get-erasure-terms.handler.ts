import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ContactErasuresRepository } from '../../repositories/contact-erasures.repository';
import { GetErasureTermsQuery, type ErasureTerms } from './get-erasure-terms.query';

@QueryHandler(GetErasureTermsQuery)
export class GetErasureTermsHandler implements IQueryHandler<GetErasureTermsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly erasures: ContactErasuresRepository,
  ) {}

  execute({ tenantId, erasureId }: GetErasureTermsQuery): Promise<ErasureTerms | undefined> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const erasure = await this.erasures.find(tx, erasureId);
      return erasure && { contactId: erasure.contactId, pattern: erasure.pattern, completed: erasure.status === 'completed' };
    });
  }
}
