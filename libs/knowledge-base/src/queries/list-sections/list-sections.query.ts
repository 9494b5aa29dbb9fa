import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { SectionView } from '../../repositories/kb.sql';

export class ListSectionsQuery extends Query<Page<SectionView>> {
  constructor(
    readonly tenantId: string,
    readonly filter: { categoryId?: string; locale?: string; limit: number; cursor?: string },
  ) {
    super();
  }
}
