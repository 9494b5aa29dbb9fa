import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { findTenant, toTenantView, type TenantView } from '../../repositories/tenancy.sql';
import { ChangeTenantStatusCommand } from './change-tenant-status.command';
import { TenantReactivated, TenantSuspended } from '../../tenancy.context';

/** Suspend or reactivate; suspending is idempotent and takes effect on the tenant's next request. */
@CommandHandler(ChangeTenantStatusCommand)
export class ChangeTenantStatusHandler implements ICommandHandler<ChangeTenantStatusCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, status }: ChangeTenantStatusCommand): Promise<TenantView> {
    const tenant = await this.tx.runPrivileged(context, async (tx) => {
      const before = await findTenant(tx.manager, context.tenantId, true);
      if (!before || before.status === 'deleting') throw notFound('Tenant', context.tenantId);
      if (before.status === status) return toTenantView(before);
      await tx.manager.query(`UPDATE tenants SET status = $2, updated_at = now(), version = version + 1 WHERE id = $1`, [context.tenantId, status]);
      await tx.audit({
        action: status === 'suspended' ? 'tenant.suspended' : 'tenant.reactivated',
        entityType: 'tenant',
        entityId: context.tenantId,
        before: { status: before.status },
        after: { status },
      });
      await tx.emit((status === 'suspended' ? TenantSuspended : TenantReactivated).of(context.tenantId, {}));
      return toTenantView((await findTenant(tx.manager, context.tenantId))!);
    });
    await this.access.changed(context.tenantId);
    return tenant;
  }
}
