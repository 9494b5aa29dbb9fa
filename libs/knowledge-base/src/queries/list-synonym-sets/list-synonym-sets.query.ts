import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { SynonymSetView } from '../../repositories/synonyms.sql';

/** The tenant's synonym sets in creation order, optionally only those holding a term. */
export class ListSynonymSetsQuery extends Query<Page<SynonymSetView>> {
  constructor(
    readonly tenantId: string,
    readonly filter: { term?: string; limit: number; cursor?: string },
  ) {
    super();
  }
}

/** One synonym set (404 when it is not the tenant's). */
export class GetSynonymSetQuery extends Query<SynonymSetView> {
  constructor(
    readonly tenantId: string,
    readonly synonymSetId: string,
  ) {
    super();
  }
}
