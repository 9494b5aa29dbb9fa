import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertVersion, loadContact } from '../../repositories/contacts.sql';
import { DeleteContactCommand } from './delete-contact.command';
import { ContactDeleted } from '../../customers.context';

/**
 * Soft delete: the row stays for history (tickets keep their requester), but it disappears from
 * reads and its emails, phones and chat ids are released, so a new contact can take them.
 */
@CommandHandler(DeleteContactCommand)
export class DeleteContactHandler implements ICommandHandler<DeleteContactCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, contactId, expectedVersion }: DeleteContactCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const before = await loadContact(tx.manager, context.tenantId, contactId, true);
      if (!before) throw notFound('Contact', contactId);
      assertVersion(expectedVersion, before.version, 'contact');
      const released = { emails: before.emails, phones: before.phones, channelIdentities: before.channelIdentities };
      await tx.manager.query(`DELETE FROM contact_identities WHERE tenant_id = $1 AND contact_id = $2`, [context.tenantId, contactId]);
      await tx.manager.query(
        `UPDATE contacts SET deleted_at = now(), deleted_identities = $3::jsonb, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
        [context.tenantId, contactId, JSON.stringify(released)],
      );
      await tx.audit({ action: 'contact.deleted', entityType: 'contact', entityId: contactId, before: { name: before.name, ...released } });
      await tx.emit(ContactDeleted.of(contactId, {}));
    });
  }
}
