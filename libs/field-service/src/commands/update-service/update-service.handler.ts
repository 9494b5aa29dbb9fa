import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, staleVersion, TenantTransaction } from '@switchboard/platform';
import { assertServicePricing } from '../../domain/pricing';
import { ServicesRepository } from '../../repositories/services.repository';
import type { ServiceFields, ServiceView } from '../../repositories/services.sql';
import { UpdateServiceCommand } from './update-service.command';

/**
 * Changes a catalog entry. Line items already on jobs keep the name, price and tax they were
 * added with: they copied them.
 */
@CommandHandler(UpdateServiceCommand)
export class UpdateServiceHandler implements ICommandHandler<UpdateServiceCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly services: ServicesRepository,
  ) {}

  execute({ context, serviceId, changes, expectedVersion }: UpdateServiceCommand): Promise<ServiceView> {
    return this.tx.run(context, async (tx) => {
      const before = await this.services.find(tx, serviceId, { lock: true, live: true });
      if (!before) throw notFound('Service', serviceId);
      if (expectedVersion !== null && expectedVersion !== before.version) {
        throw staleVersion('service', expectedVersion, before.version);
      }
      const { id: _id, deletedAt: _d, createdAt: _c, updatedAt: _u, version: _v, ...current } = before;
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<ServiceFields>;
      const next: ServiceFields = { ...current, ...defined };
      // Switching to flexible drops the catalog price; switching away from per-unit drops the unit.
      if (changes.pricingType === 'flexible' && changes.unitPrice === undefined) next.unitPrice = null;
      if (changes.pricingType && changes.pricingType !== 'per_unit' && changes.unitLabel === undefined) next.unitLabel = null;
      assertServicePricing(next);
      const changed = (Object.keys(next) as (keyof ServiceFields)[]).filter((k) => next[k] !== current[k]);
      if (changed.length === 0) return before;
      const after = await this.services.update(tx, serviceId, next);
      const pick = (s: ServiceFields) => Object.fromEntries(changed.map((k) => [k, s[k]]));
      await tx.audit({ action: 'field_service.service_updated', entityType: 'field_service_service', entityId: serviceId, before: pick(current), after: pick(next) });
      return after;
    });
  }
}
