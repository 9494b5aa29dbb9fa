import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** A Stripe Customer Portal link (payment methods, invoices, plan changes, cancellation). */
export class OpenPortalCommand extends Command<{ url: string }> {
  constructor(readonly context: CommandContext) {
    super();
  }
}
