import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ExternalLinkFields, ExternalLinkView } from '../../repositories/external-links.sql';

/** `fields` creates or replaces the link; null with `linkId` removes it. */
export class UpsertExternalLinkCommand extends Command<{ link: ExternalLinkView | null; created: boolean }> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly fields: ExternalLinkFields | null,
    readonly linkId: string | null = null,
  ) {
    super();
  }
}
