import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ContactView } from '../../repositories/contacts.sql';

/**
 * Records a contact's language as an inbound channel detected it: only while the contact has
 * none, so what an agent or the contact set is never overwritten by a guess.
 */
export class SetContactLocaleCommand extends Command<ContactView> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
    readonly locale: string,
    readonly source: string,
  ) {
    super();
  }
}
