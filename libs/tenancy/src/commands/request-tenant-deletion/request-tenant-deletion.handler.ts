import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { findTenant, toTenantView, type TenantView } from '../../repositories/tenancy.sql';
import { RequestTenantDeletionCommand } from './request-tenant-deletion.command';
import { TenantDeletionRequested } from '../../tenancy.context';


/**
 * Marks the tenant `deleting` (its credentials stop working at once) and hands the purge to the
 * worker through the outbox, so it survives restarts and can resume where it stopped.
 */
@CommandHandler(RequestTenantDeletionCommand)
export class RequestTenantDeletionHandler implements ICommandHandler<RequestTenantDeletionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
  ) {}

  async execute({ context }: RequestTenantDeletionCommand): Promise<TenantView> {
    const tenant = await this.tx.runPrivileged(context, async (tx) => {
      const before = await findTenant(tx.manager, context.tenantId, true);
      if (!before) throw notFound('Tenant', context.tenantId);
      if (before.status !== 'deleting') {
        await tx.manager.query(`UPDATE tenants SET status = 'deleting', updated_at = now(), version = version + 1 WHERE id = $1`, [context.tenantId]);
        await tx.audit({ action: 'tenant.deletion_requested', entityType: 'tenant', entityId: context.tenantId, before: { status: before.status }, after: { status: 'deleting' } });
        await tx.emit(TenantDeletionRequested.of(context.tenantId, { slug: before.slug }));
      }
      return toTenantView((await findTenant(tx.manager, context.tenantId))!);
    });
    await this.access.changed(context.tenantId);
    return tenant;
  }
}
