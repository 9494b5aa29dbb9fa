import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { CategoryView } from '../../repositories/kb.sql';

export class ListCategoriesQuery extends Query<Page<CategoryView>> {
  constructor(
    readonly tenantId: string,
    readonly filter: { locale?: string; limit: number; cursor?: string },
  ) {
    super();
  }
}
