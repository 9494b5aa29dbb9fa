import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { CustomFieldsRepository } from '../../repositories/custom-fields.repository';
import type { TicketFieldView, TicketFormView } from '../../repositories/custom-fields.sql';
import { GetTicketFieldQuery, GetTicketFormQuery, ListTicketFieldsQuery, ListTicketFormsQuery } from './list-ticket-fields.query';

const readOnly = (tenantId: string) => ({ tenantId, actorId: null, correlationId: null });

@QueryHandler(ListTicketFieldsQuery)
export class ListTicketFieldsHandler implements IQueryHandler<ListTicketFieldsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly fields: CustomFieldsRepository,
  ) {}

  execute({ tenantId, page }: ListTicketFieldsQuery): Promise<Page<TicketFieldView>> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run(readOnly(tenantId), async (tx) => {
      const rows = await this.fields.listFields(tx, { limit: page.limit, after, includeDeleted: page.includeDeleted });
      return toPage(rows, page.limit, (f) => [f.createdAt, f.id]);
    });
  }
}

@QueryHandler(GetTicketFieldQuery)
export class GetTicketFieldHandler implements IQueryHandler<GetTicketFieldQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly fields: CustomFieldsRepository,
  ) {}

  execute({ tenantId, fieldId }: GetTicketFieldQuery): Promise<TicketFieldView> {
    return this.tx.run(readOnly(tenantId), async (tx) => {
      const field = await this.fields.field(tx, fieldId);
      if (!field) throw notFound('Ticket field', fieldId);
      return field;
    });
  }
}

@QueryHandler(ListTicketFormsQuery)
export class ListTicketFormsHandler implements IQueryHandler<ListTicketFormsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly forms: CustomFieldsRepository,
  ) {}

  execute({ tenantId, page }: ListTicketFormsQuery): Promise<Page<TicketFormView>> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run(readOnly(tenantId), async (tx) => {
      const rows = await this.forms.listForms(tx, { limit: page.limit, after });
      return toPage(rows, page.limit, (f) => [f.name.toLowerCase(), f.id]);
    });
  }
}

@QueryHandler(GetTicketFormQuery)
export class GetTicketFormHandler implements IQueryHandler<GetTicketFormQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly forms: CustomFieldsRepository,
  ) {}

  execute({ tenantId, formId }: GetTicketFormQuery): Promise<TicketFormView> {
    return this.tx.run(readOnly(tenantId), async (tx) => {
      const form = await this.forms.form(tx, formId, { live: true });
      if (!form) throw notFound('Ticket form', formId);
      return form;
    });
  }
}
