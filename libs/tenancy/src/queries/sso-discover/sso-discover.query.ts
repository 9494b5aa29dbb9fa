import { Query } from '@nestjs/cqrs';

export interface SsoDiscovery {
  tenant: { slug: string; name: string };
  protocol: 'oidc' | 'saml';
}

/** Which tenant's identity provider speaks for this email's domain. */
export class SsoDiscoverQuery extends Query<SsoDiscovery> {
  constructor(readonly email: string) {
    super();
  }
}
