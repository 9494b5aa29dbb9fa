import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { SsoRepository } from '../../sso/sso.repository';
import { toConnectionView, type SsoConnectionView } from '../../sso/sso.sql';
import { SsoGetConnectionQuery } from './sso-get-connection.query';

@QueryHandler(SsoGetConnectionQuery)
export class SsoGetConnectionHandler implements IQueryHandler<SsoGetConnectionQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
  ) {}

  async execute({ tenantId }: SsoGetConnectionQuery): Promise<SsoConnectionView> {
    const found = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.sso.find(tx));
    if (!found) throw notFound('SSO connection');
    return toConnectionView(found);
  }
}
