import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ContactView } from '../../repositories/contacts.sql';

/** Folds `sourceId` into `targetId`: identities move, the source is deleted, tickets follow. */
export class MergeContactsCommand extends Command<ContactView> {
  constructor(
    readonly context: CommandContext,
    readonly targetId: string,
    readonly sourceId: string,
  ) {
    super();
  }
}
