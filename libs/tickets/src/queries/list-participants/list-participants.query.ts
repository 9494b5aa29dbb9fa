import { Query } from '@nestjs/cqrs';
import type { ParticipantView } from '../../commands/change-participants/change-participants.command';

export class ListParticipantsQuery extends Query<ParticipantView[]> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}
