import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { ArticleStatus, ArticleView, Visibility } from '../../repositories/kb.sql';

export interface ArticleFilter {
  sectionId?: string;
  categoryId?: string;
  locale?: string;
  status?: ArticleStatus;
  visibility?: Visibility;
  tag?: string;
  limit: number;
  cursor?: string;
}

/** Articles in editor order; the public audience sees published public ones only, whatever the filter says. */
export class ListArticlesQuery extends Query<Page<ArticleView>> {
  constructor(
    readonly tenantId: string,
    readonly audience: 'agent' | 'public',
    readonly filter: ArticleFilter,
  ) {
    super();
  }
}
