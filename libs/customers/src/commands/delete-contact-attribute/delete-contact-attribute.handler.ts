import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertAttributeKey } from '../../domain/attributes';
import { ContactAttributesRepository } from '../../repositories/contact-attributes.repository';
import { ContactsRepository } from '../../repositories/contacts.repository';
import { DeleteContactAttributeCommand } from './delete-contact-attribute.command';

/** Removes one attribute; a key the contact has no value for is a 404. */
@CommandHandler(DeleteContactAttributeCommand)
export class DeleteContactAttributeHandler implements ICommandHandler<DeleteContactAttributeCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly attributes: ContactAttributesRepository,
  ) {}

  async execute({ context, contactId, key }: DeleteContactAttributeCommand): Promise<void> {
    assertAttributeKey(key);
    return this.tx.run(context, async (tx) => {
      if (!(await this.contacts.findForUpdate(tx, contactId))) throw notFound('Contact', contactId);
      const gone = await this.attributes.remove(tx, contactId, key);
      if (!gone) throw notFound('Attribute', `${key} of contact ${contactId}`);
      await tx.audit({ action: 'contact.attribute_deleted', entityType: 'contact', entityId: contactId, before: { [key]: gone.value } });
    });
  }
}
