import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AddressesRepository } from '../../repositories/addresses.repository';
import type { AddressView } from '../../repositories/addresses.sql';
import { ContactsRepository } from '../../repositories/contacts.repository';
import { ListAddressesQuery } from './list-addresses.query';

@QueryHandler(ListAddressesQuery)
export class ListAddressesHandler implements IQueryHandler<ListAddressesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly addresses: AddressesRepository,
  ) {}

  execute({ tenantId, contactId }: ListAddressesQuery): Promise<AddressView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.contacts.find(tx, contactId))) throw notFound('Contact', contactId);
      return this.addresses.list(tx, contactId);
    });
  }
}
