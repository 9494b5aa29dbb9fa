import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, type Page } from '@switchboard/platform';
import { requireLocale } from '../../domain/locale';
import type { SectionView } from '../../repositories/kb.sql';
import { SectionsRepository } from '../../repositories/sections.repository';
import { ListSectionsQuery } from './list-sections.query';

@QueryHandler(ListSectionsQuery)
export class ListSectionsHandler implements IQueryHandler<ListSectionsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sections: SectionsRepository,
  ) {}

  execute({ tenantId, filter }: ListSectionsQuery): Promise<Page<SectionView>> {
    const locale = filter.locale !== undefined ? requireLocale(filter.locale) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.sections.page(tx, { categoryId: filter.categoryId, locale }, filter));
  }
}
