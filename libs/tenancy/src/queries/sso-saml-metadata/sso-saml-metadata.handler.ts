import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { SamlClients } from '../../sso/saml-clients';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoSamlMetadataQuery } from './sso-saml-metadata.query';

@QueryHandler(SsoSamlMetadataQuery)
export class SsoSamlMetadataHandler implements IQueryHandler<SsoSamlMetadataQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
    private readonly saml: SamlClients,
  ) {}

  async execute({ tenantSlug, origin }: SsoSamlMetadataQuery): Promise<string> {
    const connection = await this.tx.runAsSystem((m) => this.sso.findBySlug(m, tenantSlug));
    if (!connection || connection.protocol !== 'saml') throw notFound('SAML connection');
    return this.saml.client(connection, origin).generateServiceProviderMetadata(null, null);
  }
}
