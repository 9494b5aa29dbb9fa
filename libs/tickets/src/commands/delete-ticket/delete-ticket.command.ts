import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { DeletionState } from '../../repositories/deletion.repository';

/** Deletes a ticket (spam, a mistake): gone from every read at once, its content purged by the worker. */
export class DeleteTicketCommand extends Command<DeletionState> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
  ) {
    super();
  }
}
