import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { ContactAttributeKey } from '../../domain/attributes';
import type { ContactView } from '../../repositories/contacts.sql';

export interface ContactFilter {
  q?: string;
  organizationId?: string;
  limit: number;
  cursor?: string;
  /** Attribute key → text its value must contain (case-insensitive); all must match. */
  attributes?: Partial<Record<ContactAttributeKey, string>>;
  /** ISO 3166 country whose national phone format `q` may be in (the tenant's, from its locale). */
  phoneCountry?: string;
}

export class ListContactsQuery extends Query<Page<ContactView>> {
  constructor(
    readonly tenantId: string,
    readonly filter: ContactFilter,
  ) {
    super();
  }
}
