import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { requireLocale } from '../../domain/locale';
import { normaliseSlug } from '../../domain/slug';
import { ArticlesRepository } from '../../repositories/articles.repository';
import type { ArticleView } from '../../repositories/kb.sql';
import { GetArticleQuery } from './get-article.query';

@QueryHandler(GetArticleQuery)
export class GetArticleHandler implements IQueryHandler<GetArticleQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly articles: ArticlesRepository,
  ) {}

  execute({ tenantId, lookup, audience }: GetArticleQuery): Promise<{ article: ArticleView } | { redirectTo: string }> {
    const visible = (a: Pick<ArticleView, 'status' | 'visibility'> | undefined) => a && (audience === 'agent' || (a.status === 'published' && a.visibility === 'public'));
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if ('id' in lookup) {
        const article = await this.articles.find(tx, lookup.id);
        if (!visible(article)) throw notFound('Article', lookup.id);
        return { article: article! };
      }
      const locale = requireLocale(lookup.locale);
      const slug = normaliseSlug(lookup.slug);
      const article = await this.articles.findBySlug(tx, locale, slug);
      if (visible(article)) return { article: article! };
      if (!article) {
        const target = await this.articles.findRedirectTarget(tx, locale, slug);
        if (visible(target)) return { redirectTo: target!.slug };
      }
      throw notFound('Article', `"${slug}" (${locale})`);
    });
  }
}
