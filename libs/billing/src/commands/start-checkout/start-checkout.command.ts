import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { PlanCode } from '../../domain/plans';

/** A Stripe Checkout link for a paid plan; the tenant's Stripe customer is created on first use. */
export class StartCheckoutCommand extends Command<{ url: string }> {
  constructor(
    readonly context: CommandContext,
    readonly plan: PlanCode,
  ) {
    super();
  }
}
