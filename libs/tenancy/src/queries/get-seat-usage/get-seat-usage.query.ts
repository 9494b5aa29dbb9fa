import { Query } from '@nestjs/cqrs';

/** The seats a tenant fills now: members plus pending invitations (what the seat limit counts). */
export class GetSeatUsageQuery extends Query<number> {
  constructor(readonly tenantId: string) {
    super();
  }
}
