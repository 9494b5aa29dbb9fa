import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { OrganizationCreated, OrganizationUpdated } from '../../customers.context';
import { assertVersion } from '../../domain/problems';
import { OrganizationsRepository } from '../../repositories/organizations.repository';
import { normaliseDomains, type OrganizationView } from '../../repositories/organizations.sql';
import { SaveOrganizationCommand } from './save-organization.command';

const snapshot = (o: OrganizationView) => ({ name: o.name, domains: o.domains, notes: o.notes });

@CommandHandler(SaveOrganizationCommand)
export class SaveOrganizationHandler implements ICommandHandler<SaveOrganizationCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly organizations: OrganizationsRepository,
  ) {}

  execute({ context, organizationId, fields, expectedVersion }: SaveOrganizationCommand): Promise<OrganizationView> {
    return this.tx.run(context, async (tx) => {
      let before: OrganizationView | null = null;
      if (organizationId) {
        before = (await this.organizations.findForUpdate(tx, organizationId)) ?? null;
        if (!before) throw notFound('Organization', organizationId);
        assertVersion(expectedVersion, before.version, 'organization');
      }
      const profile = {
        name: (fields.name ?? before?.name)!,
        domains: fields.domains ? normaliseDomains(fields.domains) : (before?.domains ?? []),
        notes: fields.notes === undefined ? (before?.notes ?? null) : fields.notes,
      };
      const after = before ? await this.organizations.update(tx, before.id, profile) : await this.organizations.insert(tx, profile);
      await tx.audit({
        action: before ? 'organization.updated' : 'organization.created',
        entityType: 'organization',
        entityId: after.id,
        before: before ? snapshot(before) : null,
        after: snapshot(after),
      });
      await tx.emit((before ? OrganizationUpdated : OrganizationCreated).of(after.id, snapshot(after)));
      return after;
    });
  }
}
