import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { erasurePattern, notFound, TenantTransaction } from '@switchboard/platform';
import { ContactErasureRequested } from '../../customers.context';
import { ContactErasuresRepository, type ErasureView } from '../../repositories/contact-erasures.repository';
import { EraseContactCommand } from './erase-contact.command';

/**
 * Records the erasure and does the customers context's part at once (bounded: one contact's
 * identities, addresses and attributes; the row stays, anonymised, because tickets and jobs point
 * at it). The pattern that finds the person in free text is kept on the erasure record while the
 * other contexts work through `contact_erasure_requested`, and dropped when the last one reports.
 * Asking again for a contact already erased (or being erased) answers that erasure.
 */
@CommandHandler(EraseContactCommand)
export class EraseContactHandler implements ICommandHandler<EraseContactCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly erasures: ContactErasuresRepository,
  ) {}

  execute({ context, contactId }: EraseContactCommand): Promise<ErasureView> {
    return this.tx.run(context, async (tx) => {
      const subject = await this.erasures.subjectForUpdate(tx, contactId);
      if (!subject) throw notFound('Contact', contactId);
      const earlier = await this.erasures.latestOfContact(tx, contactId);
      if (earlier) return earlier;
      const pattern = erasurePattern({ emails: subject.emails, phones: subject.phones, others: subject.others, names: [subject.name] });
      const counts = await this.erasures.eraseOwnRows(tx, contactId);
      const id = randomUUID();
      const erasure = await this.erasures.insert(tx, { id, contactId, requestedBy: context.actorId, pattern, steps: {} });
      await this.erasures.recordStep(tx, id, 'customers', counts);
      // What was erased, never the data itself.
      await tx.audit({ action: 'contact.erasure_requested', entityType: 'contact', entityId: contactId, after: { erasureId: id, kinds: { emails: subject.emails.length, phones: subject.phones.length, channelIdentities: subject.others.length }, ...counts } });
      await tx.emit(ContactErasureRequested.of(contactId, { erasureId: id, contactId }));
      return (await this.erasures.find(tx, erasure.id))!;
    });
  }
}
