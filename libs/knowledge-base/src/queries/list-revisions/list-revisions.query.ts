import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';

export interface RevisionView {
  id: string;
  articleId: string;
  number: number;
  title: string;
  slug: string;
  visibility: string;
  tags: string[];
  sectionId: string;
  summary: Record<string, unknown>;
  restoredFrom: string | null;
  actorType: string;
  actorId: string | null;
  createdAt: string;
  /** Only when one revision is read. */
  body?: string;
}

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
