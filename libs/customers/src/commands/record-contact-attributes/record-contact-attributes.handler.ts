import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { assertAttributeKey, attributeValue } from '../../domain/attributes';
import { ContactAttributesRepository } from '../../repositories/contact-attributes.repository';
import type { ContactAttributeView } from '../../repositories/contact-attributes.sql';
import { ContactsRepository } from '../../repositories/contacts.repository';
import { RecordContactAttributesCommand } from './record-contact-attributes.command';

/**
 * Writes each confirmed value on the contact with its provenance (the job, the AI's value, who
 * confirmed it and when). A value confirmed earlier than the one stored does not replace it. A
 * contact deleted in the meantime takes nothing: there is no one to describe any more.
 */
@CommandHandler(RecordContactAttributesCommand)
export class RecordContactAttributesHandler implements ICommandHandler<RecordContactAttributesCommand> {
  private readonly logger = new Logger(RecordContactAttributesHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly attributes: ContactAttributesRepository,
  ) {}

  async execute({ context, contactId, attributes, provenance }: RecordContactAttributesCommand): Promise<ContactAttributeView[]> {
    const writes = attributes.map((a, i) => {
      assertAttributeKey(a.key, `attributes[${i}].key`);
      return { key: a.key, value: attributeValue(a.value, `attributes[${i}].value`), aiValue: a.aiValue, aiConfidence: a.aiConfidence };
    });
    return this.tx.run(context, async (tx) => {
      if (!(await this.contacts.find(tx, contactId))) {
        this.logger.warn(`Contact ${contactId} no longer exists; the attributes confirmed on job ${provenance.jobId} are not stored.`);
        return [];
      }
      const stored: ContactAttributeView[] = [];
      for (const write of writes) {
        const row = await this.attributes.upsert(tx, contactId, { ...write, source: 'close_out', jobId: provenance.jobId, confirmedBy: provenance.confirmedBy, confirmedAt: provenance.confirmedAt });
        if (row) stored.push(row);
      }
      if (stored.length > 0) {
        await tx.audit({
          action: 'contact.attributes_recorded',
          entityType: 'contact',
          entityId: contactId,
          after: { jobId: provenance.jobId, attributes: Object.fromEntries(stored.map((a) => [a.key, a.value])) },
        });
      }
      return stored;
    });
  }
}
