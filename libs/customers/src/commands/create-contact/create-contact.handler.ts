import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction, type TenantTx } from '@switchboard/platform';
import { toIdentities } from '../../domain/identities';
import { assertOrganization, attachIdentities, loadContact, type ContactView } from '../../repositories/contacts.sql';
import { CreateContactCommand, type ContactFields } from './create-contact.command';
import { ContactCreated } from '../../customers.context';

/** Shared by create and find-or-create: one contact, its identities, audit and event. */
export async function insertContact(tx: TenantTx, fields: ContactFields & { name: string }): Promise<ContactView> {
  const identities = toIdentities(fields);
  const id = randomUUID();
  await assertOrganization(tx.manager, tx.tenantId, fields.organizationId);
  await tx.manager.query(
    `INSERT INTO contacts (tenant_id, id, name, organization_id, locale, timezone, notes) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [tx.tenantId, id, fields.name, fields.organizationId ?? null, fields.locale ?? null, fields.timezone ?? null, fields.notes ?? null],
  );
  await attachIdentities(tx.manager, tx.tenantId, id, identities);
  const contact = (await loadContact(tx.manager, tx.tenantId, id))!;
  const { createdAt: _c, updatedAt: _u, version: _v, ...snapshot } = contact;
  await tx.audit({ action: 'contact.created', entityType: 'contact', entityId: id, after: snapshot });
  await tx.emit(ContactCreated.of(id, { contact: snapshot }));
  return contact;
}

@CommandHandler(CreateContactCommand)
export class CreateContactHandler implements ICommandHandler<CreateContactCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, fields }: CreateContactCommand): Promise<ContactView> {
    return this.tx.run(context, (tx) => insertContact(tx, fields));
  }
}
