import { Query } from '@nestjs/cqrs';

/** The names of a tenant's live groups by id: how other contexts (reports) label a group. */
export class GroupNamesQuery extends Query<Record<string, string>> {
  constructor(readonly tenantId: string) {
    super();
  }
}
