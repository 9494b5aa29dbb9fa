import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import { TenantDeletionRequested } from '../../tenancy.context';
import { RequestTenantDeletionCommand } from './request-tenant-deletion.command';

/**
 * Marks the tenant `deleting` (its credentials stop working at once) and hands the purge to the
 * worker through the outbox, so it survives restarts and can resume where it stopped.
 */
@CommandHandler(RequestTenantDeletionCommand)
export class RequestTenantDeletionHandler implements ICommandHandler<RequestTenantDeletionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
    private readonly tenants: TenantsRepository,
  ) {}

  async execute({ context }: RequestTenantDeletionCommand): Promise<TenantView> {
    const tenant = await this.tx.runPrivileged(context, async (tx) => {
      const before = await this.tenants.findForUpdate(tx);
      if (!before) throw notFound('Tenant', context.tenantId);
      if (before.status === 'deleting') return before;
      const after = await this.tenants.setStatus(tx, 'deleting');
      await tx.audit({ action: 'tenant.deletion_requested', entityType: 'tenant', entityId: context.tenantId, before: { status: before.status }, after: { status: 'deleting' } });
      await tx.emit(TenantDeletionRequested.of(context.tenantId, { slug: before.slug }));
      return after;
    });
    await this.access.changed(context.tenantId);
    return tenant;
  }
}
