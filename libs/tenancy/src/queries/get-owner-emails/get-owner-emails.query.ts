import { Query } from '@nestjs/cqrs';
import type { Role } from '../../domain/roles';

/**
 * The email addresses of a tenant's owners (or of the members with any of `roles`): whom other
 * contexts write to about the tenant's setup (a webhook endpoint disabled, a budget nearly spent)
 * or its figures (the weekly digest).
 */
export class GetOwnerEmailsQuery extends Query<string[]> {
  constructor(
    readonly tenantId: string,
    readonly roles: readonly Role[] = ['owner'],
  ) {
    super();
  }
}
