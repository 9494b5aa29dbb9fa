import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { toIdentities } from '../../domain/identities';
import { assertOrganization, assertVersion, attachIdentities, loadContact, type ContactView } from '../../repositories/contacts.sql';
import { UpdateContactCommand } from './update-contact.command';
import { ContactUpdated } from '../../customers.context';

@CommandHandler(UpdateContactCommand)
export class UpdateContactHandler implements ICommandHandler<UpdateContactCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, contactId, changes, expectedVersion }: UpdateContactCommand): Promise<ContactView> {
    return this.tx.run(context, async (tx) => {
      const m = tx.manager;
      const before = await loadContact(m, context.tenantId, contactId, true);
      if (!before) throw notFound('Contact', contactId);
      assertVersion(expectedVersion, before.version, 'contact');
      if (changes.organizationId !== undefined) await assertOrganization(m, context.tenantId, changes.organizationId);
      const pick = <K extends keyof ContactView>(key: K, value: ContactView[K] | undefined) => (value === undefined ? before[key] : value);
      await m.query(
        `UPDATE contacts SET name = $3, organization_id = $4, locale = $5, timezone = $6, notes = $7, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
        [
          context.tenantId,
          contactId,
          pick('name', changes.name),
          pick('organizationId', changes.organizationId),
          pick('locale', changes.locale),
          pick('timezone', changes.timezone),
          pick('notes', changes.notes),
        ],
      );
      const touchesIdentities = changes.emails !== undefined || changes.phones !== undefined || changes.channelIdentities !== undefined;
      if (touchesIdentities) {
        const identities = toIdentities({
          emails: changes.emails ?? before.emails,
          phones: changes.phones ?? before.phones,
          channelIdentities: (changes.channelIdentities ?? before.channelIdentities) as { channel: 'telegram'; externalId: string }[],
        });
        await m.query(
          `DELETE FROM contact_identities WHERE tenant_id = $1 AND contact_id = $2
             AND (kind, value) NOT IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
          [context.tenantId, contactId, identities.map((i) => i.kind), identities.map((i) => i.value)],
        );
        await attachIdentities(m, context.tenantId, contactId, identities);
      }
      const after = (await loadContact(m, context.tenantId, contactId))!;
      const strip = ({ createdAt: _c, updatedAt: _u, version: _v, ...rest }: ContactView) => rest;
      await tx.audit({ action: 'contact.updated', entityType: 'contact', entityId: contactId, before: strip(before), after: strip(after) });
      await tx.emit(ContactUpdated.of(contactId, { version: after.version, contact: strip(after) }));
      return after;
    });
  }
}
