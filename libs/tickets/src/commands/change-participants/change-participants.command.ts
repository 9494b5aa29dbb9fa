import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export type ParticipantRole = 'cc' | 'follower';

export interface ParticipantView {
  role: ParticipantRole;
  /** A contact for a CC, a user for a follower. */
  participantId: string;
  createdAt: string;
}

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
