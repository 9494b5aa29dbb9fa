import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ContactUpdated } from '../../customers.context';
import { toIdentities } from '../../domain/identities';
import { assertVersion, identitiesTaken, unknownOrganization } from '../../domain/problems';
import { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { OrganizationsRepository } from '../../repositories/organizations.repository';
import { UpdateContactCommand } from './update-contact.command';

@CommandHandler(UpdateContactCommand)
export class UpdateContactHandler implements ICommandHandler<UpdateContactCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly organizations: OrganizationsRepository,
  ) {}

  execute({ context, contactId, changes, expectedVersion }: UpdateContactCommand): Promise<ContactView> {
    return this.tx.run(context, async (tx) => {
      const before = await this.contacts.findForUpdate(tx, contactId);
      if (!before) throw notFound('Contact', contactId);
      assertVersion(expectedVersion, before.version, 'contact');
      if (changes.organizationId && !(await this.organizations.exists(tx, changes.organizationId))) throw unknownOrganization(changes.organizationId);
      const pick = <K extends keyof ContactView>(key: K, value: ContactView[K] | undefined) => (value === undefined ? before[key] : value);
      await this.contacts.update(tx, contactId, {
        name: pick('name', changes.name),
        organizationId: pick('organizationId', changes.organizationId),
        locale: pick('locale', changes.locale),
        timezone: pick('timezone', changes.timezone),
        notes: pick('notes', changes.notes),
      });
      const touchesIdentities = changes.emails !== undefined || changes.phones !== undefined || changes.channelIdentities !== undefined;
      if (touchesIdentities) {
        const identities = toIdentities({
          emails: changes.emails ?? before.emails,
          phones: changes.phones ?? before.phones,
          channelIdentities: (changes.channelIdentities ?? before.channelIdentities) as { channel: 'telegram'; externalId: string }[],
        });
        await this.contacts.releaseIdentitiesExcept(tx, contactId, identities);
        const taken = await this.contacts.attachIdentities(tx, contactId, identities);
        if (taken.length > 0) throw identitiesTaken(taken);
      }
      const after = (await this.contacts.find(tx, contactId))!;
      const strip = ({ createdAt: _c, updatedAt: _u, version: _v, ...rest }: ContactView) => rest;
      await tx.audit({ action: 'contact.updated', entityType: 'contact', entityId: contactId, before: strip(before), after: strip(after) });
      await tx.emit(ContactUpdated.of(contactId, { version: after.version, contact: strip(after) }));
      return after;
    });
  }
}
