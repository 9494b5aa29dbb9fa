import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction, type TenantTx } from '@switchboard/platform';
import { ContactCreated } from '../../customers.context';
import { toIdentities } from '../../domain/identities';
import { identitiesTaken, unknownOrganization } from '../../domain/problems';
import { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { OrganizationsRepository } from '../../repositories/organizations.repository';
import { CreateContactCommand, type ContactFields } from './create-contact.command';

/** Shared by create and find-or-create: one contact, its identities, audit and event. */
export async function insertContact(
  tx: TenantTx,
  repositories: { contacts: ContactsRepository; organizations: OrganizationsRepository },
  fields: ContactFields & { name: string },
): Promise<ContactView> {
  const { contacts, organizations } = repositories;
  const identities = toIdentities(fields);
  const id = randomUUID();
  if (fields.organizationId && !(await organizations.exists(tx, fields.organizationId))) throw unknownOrganization(fields.organizationId);
  await contacts.insert(tx, id, {
    name: fields.name,
    organizationId: fields.organizationId ?? null,
    locale: fields.locale ?? null,
    timezone: fields.timezone ?? null,
    notes: fields.notes ?? null,
  });
  const taken = await contacts.attachIdentities(tx, id, identities);
  if (taken.length > 0) throw identitiesTaken(taken);
  const contact = (await contacts.find(tx, id))!;
  const { createdAt: _c, updatedAt: _u, version: _v, ...snapshot } = contact;
  await tx.audit({ action: 'contact.created', entityType: 'contact', entityId: id, after: snapshot });
  await tx.emit(ContactCreated.of(id, { contact: snapshot }));
  return contact;
}

@CommandHandler(CreateContactCommand)
export class CreateContactHandler implements ICommandHandler<CreateContactCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
    private readonly organizations: OrganizationsRepository,
  ) {}

  execute({ context, fields }: CreateContactCommand): Promise<ContactView> {
    return this.tx.run(context, (tx) => insertContact(tx, { contacts: this.contacts, organizations: this.organizations }, fields));
  }
}
