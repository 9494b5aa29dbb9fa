import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** An operator grants a tenant credit (integer US cents) with a reason; audited. */
export class GrantCreditsCommand extends Command<{ grantId: string; balanceCents: number }> {
  constructor(
    readonly context: CommandContext,
    readonly amountCents: number,
    readonly reason: string,
  ) {
    super();
  }
}
