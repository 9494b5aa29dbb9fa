import { Query } from '@nestjs/cqrs';
import type { AddressView } from '../../repositories/addresses.sql';

export class ListAddressesQuery extends Query<AddressView[]> {
  constructor(
    readonly tenantId: string,
    readonly contactId: string,
  ) {
    super();
  }
}
