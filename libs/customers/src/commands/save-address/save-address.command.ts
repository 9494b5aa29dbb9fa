import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { AddressFields, AddressView } from '../../repositories/addresses.sql';

/** Adds an address to a contact (no addressId), changes one, or removes it (`remove`). */
export class SaveAddressCommand extends Command<AddressView | null> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
    readonly addressId: string | null,
    readonly fields: AddressFields | 'remove',
  ) {
    super();
  }
}
