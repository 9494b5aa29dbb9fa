import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ContactView } from '../../repositories/contacts.sql';
import type { ContactFields } from '../create-contact/create-contact.command';

/** Fields present replace the old values (identity lists too); absent ones stay. */
export class UpdateContactCommand extends Command<ContactView> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
    readonly changes: ContactFields,
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
