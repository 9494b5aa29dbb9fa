import { Query } from '@nestjs/cqrs';
import type { DeletionState } from '../../repositories/deletion.repository';

/** A deleted ticket's tombstone: who deleted it, when, and whether its content is purged yet. */
export class GetTicketDeletionQuery extends Query<DeletionState> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}
