import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { OrganizationDeleted } from '../../customers.context';
import { ContactsRepository } from '../../repositories/contacts.repository';
import { OrganizationsRepository } from '../../repositories/organizations.repository';
import { DeleteOrganizationCommand } from './delete-organization.command';

/** Soft delete; its contacts stay and simply belong to no organization any more. */
@CommandHandler(DeleteOrganizationCommand)
export class DeleteOrganizationHandler implements ICommandHandler<DeleteOrganizationCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly organizations: OrganizationsRepository,
    private readonly contacts: ContactsRepository,
  ) {}

  execute({ context, organizationId }: DeleteOrganizationCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const deleted = await this.organizations.softDelete(tx, organizationId);
      if (!deleted) throw notFound('Organization', organizationId);
      const detached = await this.contacts.detachFromOrganization(tx, organizationId);
      await tx.audit({ action: 'organization.deleted', entityType: 'organization', entityId: organizationId, before: { name: deleted.name }, after: { contactsDetached: detached } });
      await tx.emit(OrganizationDeleted.of(organizationId, {}));
    });
  }
}
