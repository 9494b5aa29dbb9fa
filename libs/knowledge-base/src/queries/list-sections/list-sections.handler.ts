import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, type Page } from '@switchboard/platform';
import { requireLocale } from '../../domain/locale';
import { SECTION_COLUMNS, toSectionView, type SectionView } from '../../repositories/kb.sql';
import { positionedPage } from '../../repositories/positioned-page';
import { ListSectionsQuery } from './list-sections.query';

@QueryHandler(ListSectionsQuery)
export class ListSectionsHandler implements IQueryHandler<ListSectionsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, filter }: ListSectionsQuery): Promise<Page<SectionView>> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.categoryId) where.push('category_id = ?::uuid') && values.push(filter.categoryId);
    if (filter.locale !== undefined) where.push('locale = ?') && values.push(requireLocale(filter.locale));
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) =>
      positionedPage(tx.manager, { columns: SECTION_COLUMNS, table: 'kb_sections', where, values }, tenantId, filter, toSectionView),
    );
  }
}
