import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { TicketFieldView, TicketFormView } from '../../repositories/custom-fields.sql';

/** The tenant's custom ticket fields by creation; deleted ones only when asked. */
export class ListTicketFieldsQuery extends Query<Page<TicketFieldView>> {
  constructor(
    readonly tenantId: string,
    readonly page: { limit: number; cursor?: string; includeDeleted?: boolean },
  ) {
    super();
  }
}

/** One field, deleted or not (old values name it). */
export class GetTicketFieldQuery extends Query<TicketFieldView> {
  constructor(
    readonly tenantId: string,
    readonly fieldId: string,
  ) {
    super();
  }
}

/** The tenant's live ticket forms by name. */
export class ListTicketFormsQuery extends Query<Page<TicketFormView>> {
  constructor(
    readonly tenantId: string,
    readonly page: { limit: number; cursor?: string },
  ) {
    super();
  }
}

/** One live ticket form. */
export class GetTicketFormQuery extends Query<TicketFormView> {
  constructor(
    readonly tenantId: string,
    readonly formId: string,
  ) {
    super();
  }
}
