import { Query } from '@nestjs/cqrs';

/**
 * The email addresses of a tenant's owners (or of the members with any of `roles`): whom other
 * contexts write to about the tenant's setup (a webhook endpoint disabled, a budget nearly spent).
 */
export class GetOwnerEmailsQuery extends Query<string[]> {
  constructor(
    readonly tenantId: string,
    readonly roles: readonly string[] = ['owner'],
  ) {
    super();
  }
}
