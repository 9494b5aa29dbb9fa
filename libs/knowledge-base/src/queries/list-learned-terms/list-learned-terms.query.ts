import { Query } from '@nestjs/cqrs';
import type { LearnedTermView } from '../../repositories/learned-terms.sql';

/** What agents' replies taught search about one article (ADR 0063): its words, strongest first (404 when the article is not the tenant's). */
export class ListLearnedTermsQuery extends Query<{ articleId: string; halfLifeDays: number; data: LearnedTermView[] }> {
  constructor(
    readonly tenantId: string,
    readonly articleId: string,
    readonly limit: number,
  ) {
    super();
  }
}
