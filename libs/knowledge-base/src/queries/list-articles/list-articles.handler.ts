import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, type Page } from '@switchboard/platform';
import { requireLocale } from '../../domain/locale';
import { ARTICLE_COLUMNS, toArticleView, type ArticleView } from '../../repositories/kb.sql';
import { positionedPage } from '../../repositories/positioned-page';
import { ListArticlesQuery } from './list-articles.query';

@QueryHandler(ListArticlesQuery)
export class ListArticlesHandler implements IQueryHandler<ListArticlesQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, audience, filter }: ListArticlesQuery): Promise<Page<ArticleView>> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      values.push(value);
    };
    if (filter.sectionId) add('section_id = ?::uuid', filter.sectionId);
    if (filter.categoryId) add('category_id = ?::uuid', filter.categoryId);
    if (filter.locale !== undefined) add('locale = ?', requireLocale(filter.locale));
    if (filter.tag) add('tags @> ARRAY[?::text]', filter.tag.trim().toLowerCase());
    if (audience === 'public') {
      where.push(`status = 'published'`, `visibility = 'public'`);
    } else {
      if (filter.status) add('status = ?', filter.status);
      if (filter.visibility) add('visibility = ?', filter.visibility);
    }
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) =>
      positionedPage(tx.manager, { columns: ARTICLE_COLUMNS, table: 'kb_articles', where, values }, tenantId, filter, toArticleView),
    );
  }
}
