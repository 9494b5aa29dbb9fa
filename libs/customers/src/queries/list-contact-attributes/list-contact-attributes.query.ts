import { Query } from '@nestjs/cqrs';
import type { ContactAttributeView } from '../../repositories/contact-attributes.sql';

export class ListContactAttributesQuery extends Query<ContactAttributeView[]> {
  constructor(
    readonly tenantId: string,
    readonly contactId: string,
  ) {
    super();
  }
}
