import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction, PLAN_FEATURE_POLICY, requirePlanFeature, type PlanFeaturePolicy } from '@switchboard/platform';
import { FIELD_SERVICE } from '../../domain/plan-feature';
import { assertServicePricing } from '../../domain/pricing';
import { ServicesRepository } from '../../repositories/services.repository';
import type { ServiceFields, ServiceView } from '../../repositories/services.sql';
import { CreateServiceCommand } from './create-service.command';

@CommandHandler(CreateServiceCommand)
export class CreateServiceHandler implements ICommandHandler<CreateServiceCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly services: ServicesRepository,
    @Optional() @Inject(PLAN_FEATURE_POLICY) private readonly plans?: PlanFeaturePolicy,
  ) {}

  async execute({ context, input }: CreateServiceCommand): Promise<ServiceView> {
    await requirePlanFeature(this.plans, context.tenantId, FIELD_SERVICE);
    const fields: ServiceFields = {
      name: input.name,
      description: input.description ?? null,
      pricingType: input.pricingType,
      unitPrice: input.unitPrice ?? null,
      unitLabel: input.unitLabel ?? null,
      currency: input.currency,
      taxRateBp: input.taxRateBp ?? 0,
      defaultDurationMinutes: input.defaultDurationMinutes ?? 60,
      active: input.active ?? true,
    };
    assertServicePricing(fields);
    return this.tx.run(context, async (tx) => {
      const service = await this.services.insert(tx, fields);
      await tx.audit({ action: 'field_service.service_created', entityType: 'field_service_service', entityId: service.id, after: { ...fields } });
      return service;
    });
  }
}
