import { Query } from '@nestjs/cqrs';
import type { AddressView } from '../../repositories/addresses.sql';

/** One address of this tenant by its id, whichever contact holds it: how other contexts check a site. */
export class GetAddressQuery extends Query<AddressView> {
  constructor(
    readonly tenantId: string,
    readonly addressId: string,
  ) {
    super();
  }
}
