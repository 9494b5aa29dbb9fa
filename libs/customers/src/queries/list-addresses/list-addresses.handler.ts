import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ADDRESS_COLUMNS, toAddressView, type AddressRow, type AddressView } from '../../repositories/addresses.sql';
import { loadContact } from '../../repositories/contacts.sql';
import { ListAddressesQuery } from './list-addresses.query';

@QueryHandler(ListAddressesQuery)
export class ListAddressesHandler implements IQueryHandler<ListAddressesQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, contactId }: ListAddressesQuery): Promise<AddressView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await loadContact(tx.manager, tenantId, contactId))) throw notFound('Contact', contactId);
      const rows: AddressRow[] = await tx.manager.query(
        `SELECT ${ADDRESS_COLUMNS} FROM contact_addresses WHERE tenant_id = $1 AND contact_id = $2 ORDER BY created_at, id`,
        [tenantId, contactId],
      );
      return rows.map(toAddressView);
    });
  }
}
