import { Query } from '@nestjs/cqrs';
import type { ArticleView } from '../../repositories/kb.sql';

export type ArticleLookup = { id: string } | { locale: string; slug: string };

/**
 * One article by id, or by locale and slug. For the public audience only a published public
 * article exists; a slug kept as a redirect answers with `redirectTo` (the current slug).
 */
export class GetArticleQuery extends Query<{ article: ArticleView } | { redirectTo: string }> {
  constructor(
    readonly tenantId: string,
    readonly lookup: ArticleLookup,
    readonly audience: 'agent' | 'public',
  ) {
    super();
  }
}
