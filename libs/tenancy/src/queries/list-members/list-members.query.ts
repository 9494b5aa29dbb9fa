import { Query } from '@nestjs/cqrs';
import type { MemberView } from '../../repositories/members.sql';

export class ListMembersQuery extends Query<MemberView[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}
