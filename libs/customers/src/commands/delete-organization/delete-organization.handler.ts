import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { DeleteOrganizationCommand } from './delete-organization.command';
import { OrganizationDeleted } from '../../customers.context';

/** Soft delete; its contacts stay and simply belong to no organization any more. */
@CommandHandler(DeleteOrganizationCommand)
export class DeleteOrganizationHandler implements ICommandHandler<DeleteOrganizationCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, organizationId }: DeleteOrganizationCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const rows: { name: string }[] = await tx.manager.query(
        // In a CTE so the driver returns rows (a bare UPDATE comes back as [rows, count]).
        `WITH d AS (UPDATE organizations SET deleted_at = now(), updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING name) SELECT name FROM d`,
        [context.tenantId, organizationId],
      );
      if (!rows[0]) throw notFound('Organization', organizationId);
      const detached: unknown[] = await tx.manager.query(
        `WITH u AS (UPDATE contacts SET organization_id = NULL, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND organization_id = $2 RETURNING id) SELECT id FROM u`,
        [context.tenantId, organizationId],
      );
      await tx.audit({ action: 'organization.deleted', entityType: 'organization', entityId: organizationId, before: { name: rows[0].name }, after: { contactsDetached: detached.length } });
      await tx.emit(OrganizationDeleted.of(organizationId, {}));
    });
  }
}
