import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { GetContactQuery } from './get-contact.query';

@QueryHandler(GetContactQuery)
export class GetContactHandler implements IQueryHandler<GetContactQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
  ) {}

  execute({ tenantId, contactId }: GetContactQuery): Promise<ContactView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const contact = await this.contacts.find(tx, contactId);
      if (!contact) throw notFound('Contact', contactId);
      return contact;
    });
  }
}
