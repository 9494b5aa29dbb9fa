import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { Identity } from '../../domain/identities';
import type { ContactView } from '../../repositories/contacts.sql';

export interface FoundContact {
  contact: ContactView;
  created: boolean;
}

/** What inbound channels call: the contact with this email, phone or chat id, made if new. */
export class FindOrCreateContactCommand extends Command<FoundContact> {
  constructor(
    readonly context: CommandContext,
    readonly identity: { email?: string; phone?: string; channel?: Identity['kind']; externalId?: string },
    readonly name: string | undefined,
  ) {
    super();
  }
}
