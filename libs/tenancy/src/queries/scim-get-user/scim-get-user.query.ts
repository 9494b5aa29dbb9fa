import { Query } from '@nestjs/cqrs';
import type { ScimUserResource } from '../../scim/scim-user';

export class ScimGetUserQuery extends Query<ScimUserResource> {
  constructor(
    readonly tenantId: string,
    readonly id: string,
    readonly baseUrl: string,
  ) {
    super();
  }
}
