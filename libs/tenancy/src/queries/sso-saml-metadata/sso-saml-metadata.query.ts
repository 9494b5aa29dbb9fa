import { Query } from '@nestjs/cqrs';

/** The SP metadata XML a tenant's SAML IdP can import. */
export class SsoSamlMetadataQuery extends Query<string> {
  constructor(
    readonly tenantSlug: string,
    readonly origin: string,
  ) {
    super();
  }
}
