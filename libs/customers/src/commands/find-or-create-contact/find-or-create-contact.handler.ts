import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { toIdentities, type Channel } from '../../domain/identities';
import { loadContact } from '../../repositories/contacts.sql';
import { insertContact } from '../create-contact/create-contact.handler';
import { FindOrCreateContactCommand, type FoundContact } from './find-or-create-contact.command';

/**
 * Exactly one contact per identity even when two messages from a new address arrive at once: the
 * identity's primary key decides; the loser's transaction fails with 409 and it looks again.
 */
@CommandHandler(FindOrCreateContactCommand)
export class FindOrCreateContactHandler implements ICommandHandler<FindOrCreateContactCommand> {
  constructor(private readonly tx: TenantTransaction) {}

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
      const rows: { contact_id: string }[] = await tx.manager.query(
        `SELECT contact_id FROM contact_identities WHERE tenant_id = $1 AND kind = $2 AND value = $3`,
        [context.tenantId, wanted.kind, wanted.value],
      );
      if (rows[0]) return { contact: (await loadContact(tx.manager, context.tenantId, rows[0].contact_id))!, created: false };
      const fallbackName = wanted.kind === 'email' ? wanted.value.split('@')[0] : wanted.value;
      const contact = await insertContact(tx, {
        name: name?.trim() || fallbackName,
        emails: wanted.kind === 'email' ? [wanted.value] : [],
        phones: wanted.kind === 'phone' ? [wanted.value] : [],
        channelIdentities: wanted.kind !== 'email' && wanted.kind !== 'phone' ? [{ channel: wanted.kind, externalId: wanted.value }] : [],
      });
      return { contact, created: true };
    });
  }
}
