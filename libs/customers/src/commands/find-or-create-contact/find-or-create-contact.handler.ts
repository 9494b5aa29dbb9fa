import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { toIdentities, type Channel } from '../../domain/identities';
import { ContactsRepository } from '../../repositories/contacts.repository';
import { OrganizationsRepository } from '../../repositories/organizations.repository';
import { insertContact } from '../create-contact/create-contact.handler';
import { FindOrCreateContactCommand, type FoundContact } from './find-or-create-contact.command';

/**
 * Exactly one contact per identity even when two messages from a new address arrive at once:
 * find-or-creates of one identity take turns on a lock held until their transactions end, so the
 * later one finds the earlier one's contact. Inside a caller's transaction (a ticket created for a
 * new requester) that matters most: a contact made by a losing attempt would commit with the
 * ticket. Against a plain create that takes the identity meanwhile, the identity's primary key
 * still decides; the loser's attempt fails with 409 and it looks again.
 */
@CommandHandler(FindOrCreateContactCommand)
export class FindOrCreateContactHandler implements ICommandHandler<FindOrCreateContactCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly organizations: OrganizationsRepository,
  ) {}

  async execute(command: FindOrCreateContactCommand): Promise<FoundContact> {
    const { email, phone, channel } = command.identity;
    if ([email, phone, channel].filter((v) => v !== undefined).length !== 1) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'Send exactly one of email, phone, or channel with externalId.' });
    }
    try {
      return await this.attempt(command);
    } catch (error) {
      if (error instanceof ProblemException && error.problem.type === 'identity-taken') return this.attempt(command);
      throw error;
    }
  }

  private attempt({ context, identity, name }: FindOrCreateContactCommand): Promise<FoundContact> {
    const [wanted] = toIdentities({
      emails: identity.email ? [identity.email] : [],
      phones: identity.phone ? [identity.phone] : [],
      channelIdentities: identity.channel && identity.externalId ? [{ channel: identity.channel as Channel, externalId: identity.externalId }] : [],
    });
    return this.tx.run(context, async (tx) => {
      // Sent together; the look-up runs once the lock is granted, and sees what its holder committed.
      const [, existingId] = await Promise.all([this.contacts.lockIdentity(tx, wanted), this.contacts.findIdByIdentity(tx, wanted)]);
      if (existingId) return { contact: (await this.contacts.find(tx, existingId))!, created: false };
      const fallbackName = wanted.kind === 'email' ? wanted.value.split('@')[0] : wanted.value;
      const contact = await insertContact(tx, { contacts: this.contacts, organizations: this.organizations }, {
        name: name?.trim() || fallbackName,
        emails: wanted.kind === 'email' ? [wanted.value] : [],
        phones: wanted.kind === 'phone' ? [wanted.value] : [],
        channelIdentities: wanted.kind !== 'email' && wanted.kind !== 'phone' ? [{ channel: wanted.kind, externalId: wanted.value }] : [],
      });
      return { contact, created: true };
    });
  }
}
