import { Query } from '@nestjs/cqrs';
import type { ParticipantView } from '../../repositories/participants.sql';

export class ListParticipantsQuery extends Query<ParticipantView[]> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}
