import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import { TenantReactivated, TenantSuspended } from '../../tenancy.context';
import { ChangeTenantStatusCommand } from './change-tenant-status.command';

/** Suspend or reactivate; suspending is idempotent and takes effect on the tenant's next request. */
@CommandHandler(ChangeTenantStatusCommand)
export class ChangeTenantStatusHandler implements ICommandHandler<ChangeTenantStatusCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
    private readonly tenants: TenantsRepository,
  ) {}

  async execute({ context, status }: ChangeTenantStatusCommand): Promise<TenantView> {
    const tenant = await this.tx.runPrivileged(context, async (tx) => {
      const before = await this.tenants.findForUpdate(tx);
      if (!before || before.status === 'deleting') throw notFound('Tenant', context.tenantId);
      if (before.status === status) return before;
      const after = await this.tenants.setStatus(tx, status);
      await tx.audit({
        action: status === 'suspended' ? 'tenant.suspended' : 'tenant.reactivated',
        entityType: 'tenant',
        entityId: context.tenantId,
        before: { status: before.status },
        after: { status },
      });
      await tx.emit((status === 'suspended' ? TenantSuspended : TenantReactivated).of(context.tenantId, {}));
      return after;
    });
    await this.access.changed(context.tenantId);
    return tenant;
  }
}
