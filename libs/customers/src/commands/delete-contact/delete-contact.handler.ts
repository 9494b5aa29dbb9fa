import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ContactDeleted } from '../../customers.context';
import { ContactsRepository } from '../../repositories/contacts.repository';
import { assertVersion } from '../../domain/problems';
import { DeleteContactCommand } from './delete-contact.command';

/**
 * Soft delete: the row stays for history (tickets keep their requester), but it disappears from
 * reads and its emails, phones and chat ids are released, so a new contact can take them.
 */
@CommandHandler(DeleteContactCommand)
export class DeleteContactHandler implements ICommandHandler<DeleteContactCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
  ) {}

  execute({ context, contactId, expectedVersion }: DeleteContactCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const before = await this.contacts.findForUpdate(tx, contactId);
      if (!before) throw notFound('Contact', contactId);
      assertVersion(expectedVersion, before.version, 'contact');
      const released = { emails: before.emails, phones: before.phones, channelIdentities: before.channelIdentities };
      await this.contacts.softDelete(tx, contactId, released);
      await tx.audit({ action: 'contact.deleted', entityType: 'contact', entityId: contactId, before: { name: before.name, ...released } });
      await tx.emit(ContactDeleted.of(contactId, {}));
    });
  }
}
