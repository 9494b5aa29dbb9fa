import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { findTenant, toTenantView, type TenantView } from '../../repositories/tenancy.sql';
import { UpdateTenantCommand } from './update-tenant.command';
import { TenantUpdated } from '../../tenancy.context';

@CommandHandler(UpdateTenantCommand)
export class UpdateTenantHandler implements ICommandHandler<UpdateTenantCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, changes, expectedVersion }: UpdateTenantCommand): Promise<TenantView> {
    return this.tx.runPrivileged(context, async (tx) => {
      const before = await findTenant(tx.manager, context.tenantId, true);
      if (!before || before.status === 'deleting') throw notFound('Tenant', context.tenantId);
      if (expectedVersion !== null && expectedVersion !== before.version) {
        throw new ProblemException({
          status: 412,
          type: 'precondition-failed',
          title: 'Precondition Failed',
          detail: `The tenant changed since version ${expectedVersion} (now ${before.version}); reload and retry.`,
        });
      }
      await tx.manager.query(
        `UPDATE tenants SET name = $2, timezone = $3, locale = $4, updated_at = now(), version = version + 1 WHERE id = $1`,
        [context.tenantId, changes.name ?? before.name, changes.timezone ?? before.timezone, changes.locale ?? before.locale],
      );
      const after = (await findTenant(tx.manager, context.tenantId))!;
      const pick = (t: typeof before) => ({ name: t.name, timezone: t.timezone, locale: t.locale });
      await tx.audit({ action: 'tenant.updated', entityType: 'tenant', entityId: context.tenantId, before: pick(before), after: pick(after) });
      await tx.emit(TenantUpdated.of(context.tenantId, pick(after)));
      return toTenantView(after);
    });
  }
}
