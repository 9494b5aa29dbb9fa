import { Query } from '@nestjs/cqrs';

/** The email addresses of a tenant's owners: whom other contexts write to about the tenant's setup (a webhook endpoint disabled). */
export class GetOwnerEmailsQuery extends Query<string[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}
