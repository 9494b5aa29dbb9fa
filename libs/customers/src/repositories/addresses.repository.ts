import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { deleteAddress, findAddress, findAddressById, insertAddress, listAddresses, moveAddresses, updateAddress, type AddressFields, type AddressView } from './addresses.sql';

/** A contact's addresses (SQL in `addresses.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class AddressesRepository {
  /** Locked for the rest of the transaction. */
  findForUpdate(tx: TenantTx, contactId: string, addressId: string): Promise<AddressView | undefined> {
    return findAddress(tx.manager, tx.tenantId, contactId, addressId, true);
  }

  /** Whichever contact holds it. */
  findById(tx: TenantTx, addressId: string): Promise<AddressView | undefined> {
    return findAddressById(tx.manager, tx.tenantId, addressId);
  }

  list(tx: TenantTx, contactId: string): Promise<AddressView[]> {
    return listAddresses(tx.manager, tx.tenantId, contactId);
  }

  insert(tx: TenantTx, contactId: string, fields: AddressFields): Promise<AddressView> {
    return insertAddress(tx.manager, tx.tenantId, contactId, fields);
  }

  /** Changes the fields given; the others keep their values. */
  update(tx: TenantTx, addressId: string, fields: AddressFields): Promise<AddressView> {
    return updateAddress(tx.manager, tx.tenantId, addressId, fields);
  }

  remove(tx: TenantTx, addressId: string): Promise<void> {
    return deleteAddress(tx.manager, tx.tenantId, addressId);
  }

  /** Every address of one contact moves to another (merging contacts). */
  moveToContact(tx: TenantTx, fromContactId: string, toContactId: string): Promise<void> {
    return moveAddresses(tx.manager, tx.tenantId, fromContactId, toContactId);
  }
}
