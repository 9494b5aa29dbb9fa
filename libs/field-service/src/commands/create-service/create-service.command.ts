import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { PricingType } from '../../domain/pricing';
import type { ServiceView } from '../../repositories/services.sql';

export interface ServiceInput {
  name: string;
  description?: string | null;
  pricingType: PricingType;
  unitPrice?: number | null;
  unitLabel?: string | null;
  currency: string;
  taxRateBp?: number;
  defaultDurationMinutes?: number;
  active?: boolean;
}

export class CreateServiceCommand extends Command<ServiceView> {
  constructor(
    readonly context: CommandContext,
    readonly input: ServiceInput,
  ) {
    super();
  }
}
