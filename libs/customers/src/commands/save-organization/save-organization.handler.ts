import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertVersion } from '../../repositories/contacts.sql';
import { normaliseDomains, ORGANIZATION_COLUMNS, toOrganizationView, type OrganizationRow, type OrganizationView } from '../../repositories/organizations.sql';
import { SaveOrganizationCommand } from './save-organization.command';
import { OrganizationCreated, OrganizationUpdated } from '../../customers.context';

@CommandHandler(SaveOrganizationCommand)
export class SaveOrganizationHandler implements ICommandHandler<SaveOrganizationCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, organizationId, fields, expectedVersion }: SaveOrganizationCommand): Promise<OrganizationView> {
    return this.tx.run(context, async (tx) => {
      const m = tx.manager;
      let before: OrganizationView | null = null;
      if (organizationId) {
        const rows: OrganizationRow[] = await m.query(
          `SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE`,
          [context.tenantId, organizationId],
        );
        if (!rows[0]) throw notFound('Organization', organizationId);
        before = toOrganizationView(rows[0]);
        assertVersion(expectedVersion, before.version, 'organization');
      }
      const values = [fields.name ?? before?.name, fields.domains ? normaliseDomains(fields.domains) : (before?.domains ?? []), fields.notes === undefined ? (before?.notes ?? null) : fields.notes];
      const rows: OrganizationRow[] = before
        ? await m.query(
            `WITH u AS (UPDATE organizations SET name = $3, domains = $4, notes = $5, updated_at = now(), version = version + 1
              WHERE tenant_id = $1 AND id = $2 RETURNING ${ORGANIZATION_COLUMNS}) SELECT * FROM u`,
            [context.tenantId, before.id, ...values],
          )
        : await m.query(`INSERT INTO organizations (tenant_id, name, domains, notes) VALUES ($1, $2, $3, $4) RETURNING ${ORGANIZATION_COLUMNS}`, [context.tenantId, ...values]);
      const after = toOrganizationView(rows[0]);
      const snapshot = (o: OrganizationView | null) => (o ? { name: o.name, domains: o.domains, notes: o.notes } : null);
      await tx.audit({ action: before ? 'organization.updated' : 'organization.created', entityType: 'organization', entityId: after.id, before: snapshot(before), after: snapshot(after) });
      await tx.emit((before ? OrganizationUpdated : OrganizationCreated).of(after.id, snapshot(after)!));
      return after;
    });
  }
}
