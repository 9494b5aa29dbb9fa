import { Query } from '@nestjs/cqrs';
import type { InvitationView } from '../../repositories/invitations.sql';

export class ListInvitationsQuery extends Query<InvitationView[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}
