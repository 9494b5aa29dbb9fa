import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { ContactsMerged } from '../../customers.context';
import { AddressesRepository } from '../../repositories/addresses.repository';
import { ContactAttributesRepository } from '../../repositories/contact-attributes.repository';
import { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { MergeContactsCommand } from './merge-contacts.command';

/**
 * The source's emails, phones, chat ids, addresses and attributes (the later confirmed value of a
 * key wins) move to the target (fields the target lacks are
 * filled from the source), the source is soft-deleted with a pointer to the target, and a
 * `contacts_merged` event lets other contexts (tickets) move what they hold, idempotently.
 */
@CommandHandler(MergeContactsCommand)
export class MergeContactsHandler implements ICommandHandler<MergeContactsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly addresses: AddressesRepository,
    private readonly attributes: ContactAttributesRepository,
  ) {}

  execute({ context, targetId, sourceId }: MergeContactsCommand): Promise<ContactView> {
    if (targetId === sourceId) {
      throw new ProblemException({ status: 422, type: 'merge-into-self', title: 'Unprocessable Content', detail: 'A contact cannot be merged into itself.', errors: [{ field: 'sourceId', message: 'must differ from the target' }] });
    }
    return this.tx.run(context, async (tx) => {
      // Lock both in id order, so two opposite merges cannot deadlock.
      const locked = new Map<string, ContactView | undefined>();
      for (const id of [targetId, sourceId].sort()) locked.set(id, await this.contacts.findForUpdate(tx, id));
      const target = locked.get(targetId);
      const source = locked.get(sourceId);
      if (!target) throw notFound('Contact', targetId);
      if (!source) throw notFound('Contact', sourceId);
      await this.contacts.moveIdentities(tx, sourceId, targetId);
      await this.addresses.moveToContact(tx, sourceId, targetId);
      await this.attributes.moveToContact(tx, sourceId, targetId);
      await this.contacts.foldInto(tx, targetId, sourceId);
      const merged = (await this.contacts.find(tx, targetId))!;
      await tx.audit({ action: 'contact.merged', entityType: 'contact', entityId: targetId, before: { emails: target.emails, phones: target.phones }, after: { emails: merged.emails, phones: merged.phones, mergedFrom: sourceId } });
      await tx.emit(ContactsMerged.of(targetId, { targetId, sourceId }));
      return merged;
    });
  }
}
