import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ADDRESS_COLUMNS, toAddressView, type AddressRow, type AddressView } from '../../repositories/addresses.sql';
import { loadContact } from '../../repositories/contacts.sql';
import { SaveAddressCommand } from './save-address.command';

const COLUMN: Record<string, string> = { label: 'label', street: 'street', city: 'city', region: 'region', postalCode: 'postal_code', country: 'country', accessNotes: 'access_notes' };

@CommandHandler(SaveAddressCommand)
export class SaveAddressHandler implements ICommandHandler<SaveAddressCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, contactId, addressId, fields }: SaveAddressCommand): Promise<AddressView | null> {
    return this.tx.run(context, async (tx) => {
      const m = tx.manager;
      if (!(await loadContact(m, context.tenantId, contactId, true))) throw notFound('Contact', contactId);
      let before: AddressView | null = null;
      if (addressId) {
        const [row]: AddressRow[] = await m.query(`SELECT ${ADDRESS_COLUMNS} FROM contact_addresses WHERE tenant_id = $1 AND contact_id = $2 AND id = $3 FOR UPDATE`, [context.tenantId, contactId, addressId]);
        if (!row) throw notFound('Address', addressId);
        before = toAddressView(row);
      }
      const snapshot = (a: AddressView | null) => (a ? { label: a.label, street: a.street, city: a.city, region: a.region, postalCode: a.postalCode, country: a.country, accessNotes: a.accessNotes } : null);
      if (fields === 'remove') {
        await m.query(`DELETE FROM contact_addresses WHERE tenant_id = $1 AND id = $2`, [context.tenantId, addressId]);
        await tx.audit({ action: 'contact.address_removed', entityType: 'contact', entityId: contactId, before: snapshot(before) });
        return null;
      }
      const keys = Object.keys(COLUMN).filter((k) => fields[k as keyof typeof fields] !== undefined);
      const values = keys.map((k) => fields[k as keyof typeof fields] ?? null);
      const [row]: AddressRow[] = before
        ? await m.query(
            `WITH u AS (UPDATE contact_addresses SET ${keys.map((k, i) => `${COLUMN[k]} = $${i + 3}`).concat('updated_at = now()', 'version = version + 1').join(', ')}
               WHERE tenant_id = $1 AND id = $2 RETURNING ${ADDRESS_COLUMNS}) SELECT * FROM u`,
            [context.tenantId, addressId, ...values],
          )
        : await m.query(
            `INSERT INTO contact_addresses (tenant_id, contact_id, ${keys.map((k) => COLUMN[k]).join(', ')})
             VALUES ($1, $2, ${keys.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING ${ADDRESS_COLUMNS}`,
            [context.tenantId, contactId, ...values],
          );
      const after = toAddressView(row);
      await tx.audit({ action: before ? 'contact.address_updated' : 'contact.address_added', entityType: 'contact', entityId: contactId, before: snapshot(before), after: snapshot(after) });
      return after;
    });
  }
}
