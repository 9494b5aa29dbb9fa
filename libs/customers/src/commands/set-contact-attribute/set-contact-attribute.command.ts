import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ContactAttributeView } from '../../repositories/contact-attributes.sql';

/** A person sets one attribute of a contact by hand. */
export class SetContactAttributeCommand extends Command<ContactAttributeView> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
    readonly key: string,
    readonly value: string,
  ) {
    super();
  }
}
