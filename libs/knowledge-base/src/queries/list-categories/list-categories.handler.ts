import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, type Page } from '@switchboard/platform';
import { requireLocale } from '../../domain/locale';
import { CategoriesRepository } from '../../repositories/categories.repository';
import type { CategoryView } from '../../repositories/kb.sql';
import { ListCategoriesQuery } from './list-categories.query';

@QueryHandler(ListCategoriesQuery)
export class ListCategoriesHandler implements IQueryHandler<ListCategoriesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly categories: CategoriesRepository,
  ) {}

  execute({ tenantId, filter }: ListCategoriesQuery): Promise<Page<CategoryView>> {
    const locale = filter.locale !== undefined ? requireLocale(filter.locale) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.categories.page(tx, { locale }, filter));
  }
}
