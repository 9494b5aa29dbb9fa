import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AddressesRepository } from '../../repositories/addresses.repository';
import type { AddressView } from '../../repositories/addresses.sql';
import { ContactsRepository } from '../../repositories/contacts.repository';
import { SaveAddressCommand } from './save-address.command';

const snapshot = (a: AddressView | null) =>
  a ? { label: a.label, street: a.street, city: a.city, region: a.region, postalCode: a.postalCode, country: a.country, accessNotes: a.accessNotes } : null;

@CommandHandler(SaveAddressCommand)
export class SaveAddressHandler implements ICommandHandler<SaveAddressCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly addresses: AddressesRepository,
  ) {}

  execute({ context, contactId, addressId, fields }: SaveAddressCommand): Promise<AddressView | null> {
    return this.tx.run(context, async (tx) => {
      if (!(await this.contacts.findForUpdate(tx, contactId))) throw notFound('Contact', contactId);
      let before: AddressView | null = null;
      if (addressId) {
        before = (await this.addresses.findForUpdate(tx, contactId, addressId)) ?? null;
        if (!before) throw notFound('Address', addressId);
      }
      if (fields === 'remove') {
        if (before) await this.addresses.remove(tx, before.id);
        await tx.audit({ action: 'contact.address_removed', entityType: 'contact', entityId: contactId, before: snapshot(before) });
        return null;
      }
      const after = before ? await this.addresses.update(tx, before.id, fields) : await this.addresses.insert(tx, contactId, fields);
      await tx.audit({ action: before ? 'contact.address_updated' : 'contact.address_added', entityType: 'contact', entityId: contactId, before: snapshot(before), after: snapshot(after) });
      return after;
    });
  }
}
