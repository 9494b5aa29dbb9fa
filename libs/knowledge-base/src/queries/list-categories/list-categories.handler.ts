import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, type Page } from '@switchboard/platform';
import { requireLocale } from '../../domain/locale';
import { CATEGORY_COLUMNS, toCategoryView, type CategoryView } from '../../repositories/kb.sql';
import { positionedPage } from '../../repositories/positioned-page';
import { ListCategoriesQuery } from './list-categories.query';

@QueryHandler(ListCategoriesQuery)
export class ListCategoriesHandler implements IQueryHandler<ListCategoriesQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, filter }: ListCategoriesQuery): Promise<Page<CategoryView>> {
    const locale = filter.locale !== undefined ? requireLocale(filter.locale) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) =>
      positionedPage(tx.manager, { columns: CATEGORY_COLUMNS, table: 'kb_categories', where: locale ? ['locale = ?'] : [], values: [locale] }, tenantId, filter, toCategoryView),
    );
  }
}
