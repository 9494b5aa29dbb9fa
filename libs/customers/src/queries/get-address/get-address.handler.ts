import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AddressesRepository } from '../../repositories/addresses.repository';
import type { AddressView } from '../../repositories/addresses.sql';
import { GetAddressQuery } from './get-address.query';

@QueryHandler(GetAddressQuery)
export class GetAddressHandler implements IQueryHandler<GetAddressQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly addresses: AddressesRepository,
  ) {}

  execute({ tenantId, addressId }: GetAddressQuery): Promise<AddressView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const address = await this.addresses.findById(tx, addressId);
      if (!address) throw notFound('Address', addressId);
      return address;
    });
  }
}
