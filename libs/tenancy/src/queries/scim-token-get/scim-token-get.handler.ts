import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ScimRepository } from '../../scim/scim.repository';
import type { ScimTokenView } from '../../scim/scim.sql';
import { ScimTokenGetQuery } from './scim-token-get.query';

@QueryHandler(ScimTokenGetQuery)
export class ScimTokenGetHandler implements IQueryHandler<ScimTokenGetQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
  ) {}

  async execute({ tenantId }: ScimTokenGetQuery): Promise<ScimTokenView> {
    const found = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.scim.activeToken(tx));
    if (!found) throw notFound('SCIM token');
    return found;
  }
}
