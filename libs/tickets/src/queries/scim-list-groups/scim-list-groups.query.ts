import { Query } from '@nestjs/cqrs';
import type { ScimGroupResource } from '../../domain/scim-group';

export interface ScimGroupList {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: ScimGroupResource[];
}

/** The tenant's ticket groups as SCIM Groups: all (`id` absent) with an optional filter and paging, or one. */
export class ScimListGroupsQuery extends Query<ScimGroupList | ScimGroupResource> {
  constructor(
    readonly tenantId: string,
    readonly params: { id?: string; filter?: string; startIndex?: string; count?: string; excludedAttributes?: string },
    readonly baseUrl: string,
  ) {
    super();
  }
}
