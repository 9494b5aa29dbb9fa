import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertAttributeKey, attributeValue } from '../../domain/attributes';
import { ContactAttributesRepository } from '../../repositories/contact-attributes.repository';
import type { ContactAttributeView } from '../../repositories/contact-attributes.sql';
import { ContactsRepository } from '../../repositories/contacts.repository';
import { SetContactAttributeCommand } from './set-contact-attribute.command';

/** A manual value replaces the stored one; what the AI once suggested for the key stays beside it. */
@CommandHandler(SetContactAttributeCommand)
export class SetContactAttributeHandler implements ICommandHandler<SetContactAttributeCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly attributes: ContactAttributesRepository,
  ) {}

  async execute({ context, contactId, key, value }: SetContactAttributeCommand): Promise<ContactAttributeView> {
    assertAttributeKey(key);
    const text = attributeValue(value);
    return this.tx.run(context, async (tx) => {
      if (!(await this.contacts.findForUpdate(tx, contactId))) throw notFound('Contact', contactId);
      const before = (await this.attributes.list(tx, contactId)).find((a) => a.key === key);
      const after = (await this.attributes.upsert(tx, contactId, {
        key,
        value: text,
        aiValue: before?.provenance.aiValue ?? null,
        aiConfidence: before?.provenance.aiConfidence ?? null,
        source: 'manual',
        jobId: before?.provenance.jobId ?? null,
        confirmedBy: context.actorId,
        // Never earlier than the stored confirmation, so the manual value always wins.
        confirmedAt: new Date(Math.max(Date.now(), before ? Date.parse(before.provenance.confirmedAt) : 0)).toISOString(),
      }))!;
      await tx.audit({ action: 'contact.attribute_set', entityType: 'contact', entityId: contactId, before: before ? { [key]: before.value } : undefined, after: { [key]: after.value } });
      return after;
    });
  }
}
