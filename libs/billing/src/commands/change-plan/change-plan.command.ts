import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { PlanCode, SubscriptionStatus, SubscriptionView } from '../../domain/plans';

/** An operator puts a tenant on a plan (and optionally a status) by hand; audited, and Stripe's next event still wins. */
export class ChangePlanCommand extends Command<SubscriptionView> {
  constructor(
    readonly context: CommandContext,
    readonly plan: PlanCode,
    readonly status: SubscriptionStatus | undefined,
  ) {
    super();
  }
}
