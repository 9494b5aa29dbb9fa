import { Query } from '@nestjs/cqrs';
import type { ContactView } from '../../repositories/contacts.sql';

export class GetContactQuery extends Query<ContactView> {
  constructor(
    readonly tenantId: string,
    readonly contactId: string,
  ) {
    super();
  }
}
