import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ErasureView } from '../../repositories/contact-erasures.repository';

/** A data-protection erasure request: the person's data goes from every context (ADR 0031). */
export class EraseContactCommand extends Command<ErasureView> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
  ) {
    super();
  }
}
