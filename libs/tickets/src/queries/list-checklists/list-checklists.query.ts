import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { ChecklistTemplateView, ChecklistView } from '../../repositories/checklists.sql';

/** A ticket's checklists with their items, oldest first. */
export class ListChecklistsQuery extends Query<{ data: ChecklistView[] }> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}

/** The tenant's checklist templates, oldest first. */
export class ListChecklistTemplatesQuery extends Query<Page<ChecklistTemplateView>> {
  constructor(
    readonly tenantId: string,
    readonly page: { limit: number; cursor?: string },
  ) {
    super();
  }
}
