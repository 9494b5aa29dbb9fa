import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ParticipantRole, ParticipantView } from '../../repositories/participants.sql';

/** Adds (idempotently) or removes a CC or follower. */
export class ChangeParticipantsCommand extends Command<{ participant: ParticipantView; changed: boolean }> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly action: 'add' | 'remove',
    readonly role: ParticipantRole,
    readonly participantId: string,
  ) {
    super();
  }
}
