import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, staleVersion, TenantTransaction } from '@switchboard/platform';
import { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import { TenantUpdated } from '../../tenancy.context';
import { UpdateTenantCommand } from './update-tenant.command';

@CommandHandler(UpdateTenantCommand)
export class UpdateTenantHandler implements ICommandHandler<UpdateTenantCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tenants: TenantsRepository,
  ) {}

  execute({ context, changes, expectedVersion }: UpdateTenantCommand): Promise<TenantView> {
    return this.tx.runPrivileged(context, async (tx) => {
      const before = await this.tenants.findForUpdate(tx);
      if (!before || before.status === 'deleting') throw notFound('Tenant', context.tenantId);
      if (expectedVersion !== null && expectedVersion !== before.version) {
        throw staleVersion('tenant', expectedVersion, before.version);
      }
      const after = await this.tenants.updateProfile(tx, {
        name: changes.name ?? before.name,
        timezone: changes.timezone ?? before.timezone,
        locale: changes.locale ?? before.locale,
      });
      const pick = (t: TenantView) => ({ name: t.name, timezone: t.timezone, locale: t.locale });
      await tx.audit({ action: 'tenant.updated', entityType: 'tenant', entityId: context.tenantId, before: pick(before), after: pick(after) });
      await tx.emit(TenantUpdated.of(context.tenantId, pick(after)));
      return after;
    });
  }
}
