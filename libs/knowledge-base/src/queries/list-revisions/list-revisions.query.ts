import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { RevisionView } from '../../repositories/kb.sql';

export type { RevisionView };

/** An article's revisions, newest first; with revisionId, that one revision (with its body). */
export class ListRevisionsQuery extends Query<Page<RevisionView>> {
  constructor(
    readonly tenantId: string,
    readonly articleId: string,
    readonly page: { limit: number; cursor?: string },
    readonly revisionId?: string,
  ) {
    super();
  }
}
