import { Query } from '@nestjs/cqrs';

/** The display names of a tenant's members by user id: how other contexts (reports) label a person. */
export class MemberNamesQuery extends Query<Record<string, string>> {
  constructor(readonly tenantId: string) {
    super();
  }
}
