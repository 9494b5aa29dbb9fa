import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, type Page } from '@switchboard/platform';
import { requireLocale } from '../../domain/locale';
import { ArticlesRepository } from '../../repositories/articles.repository';
import type { ArticleView } from '../../repositories/kb.sql';
import { ListArticlesQuery } from './list-articles.query';

@QueryHandler(ListArticlesQuery)
export class ListArticlesHandler implements IQueryHandler<ListArticlesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly articles: ArticlesRepository,
  ) {}

  execute({ tenantId, audience, filter }: ListArticlesQuery): Promise<Page<ArticleView>> {
    const { sectionId, categoryId, status, visibility } = filter;
    const locale = filter.locale !== undefined ? requireLocale(filter.locale) : undefined;
    const tag = filter.tag ? filter.tag.trim().toLowerCase() : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.articles.page(tx, { sectionId, categoryId, locale, tag, status, visibility }, audience, filter));
  }
}
