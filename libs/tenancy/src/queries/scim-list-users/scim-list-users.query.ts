import { Query } from '@nestjs/cqrs';
import type { ScimUserResource } from '../../scim/scim-user';

export interface ScimListResponse {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: ScimUserResource[];
}

/** GET /Users with an RFC 7644 filter and 1-based index paging. */
export class ScimListUsersQuery extends Query<ScimListResponse> {
  constructor(
    readonly tenantId: string,
    readonly params: { filter?: string; startIndex?: string; count?: string },
    readonly baseUrl: string,
  ) {
    super();
  }
}
