import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ContactAttributesRepository } from '../../repositories/contact-attributes.repository';
import type { ContactAttributeView } from '../../repositories/contact-attributes.sql';
import { ContactsRepository } from '../../repositories/contacts.repository';
import { ListContactAttributesQuery } from './list-contact-attributes.query';

@QueryHandler(ListContactAttributesQuery)
export class ListContactAttributesHandler implements IQueryHandler<ListContactAttributesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly attributes: ContactAttributesRepository,
  ) {}

  execute({ tenantId, contactId }: ListContactAttributesQuery): Promise<ContactAttributeView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.contacts.find(tx, contactId))) throw notFound('Contact', contactId);
      return this.attributes.list(tx, contactId);
    });
  }
}
