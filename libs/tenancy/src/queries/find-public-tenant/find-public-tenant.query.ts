import { Query } from '@nestjs/cqrs';

export interface PublicTenant {
  id: string;
  slug: string;
  name: string;
  locale: string;
}

/**
 * The active tenant a public page (help center) names by slug, or null. A privileged look-up:
 * the caller has no credential yet; everything after it runs in that tenant's transaction.
 */
export class FindPublicTenantQuery extends Query<PublicTenant | null> {
  constructor(readonly slug: string) {
    super();
  }
}
