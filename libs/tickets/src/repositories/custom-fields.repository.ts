import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { FieldType } from '../domain/custom-fields';
import {
  customFieldsSql,
  toFieldView,
  toFormView,
  type FieldRow,
  type FormRow,
  type TicketFieldFields,
  type TicketFieldView,
  type TicketFormFields,
  type TicketFormView,
} from './custom-fields.sql';
import { execute } from './execute';

/** Custom field definitions and ticket forms (SQL in `custom-fields.sql.ts`); a ticket's values are written through TicketsRepository. */
@Injectable()
export class CustomFieldsRepository {
  async field(tx: TenantTx, id: string, opts: { lock?: boolean; live?: boolean } = {}): Promise<TicketFieldView | undefined> {
    const [row] = await execute<FieldRow[]>(tx, customFieldsSql.field(tx.tenantId, id, opts));
    return row ? toFieldView(row) : undefined;
  }

  async allFields(tx: TenantTx): Promise<TicketFieldView[]> {
    return (await execute<FieldRow[]>(tx, customFieldsSql.allFields(tx.tenantId))).map(toFieldView);
  }

  async listFields(tx: TenantTx, page: { limit: number; after?: [string, string]; includeDeleted?: boolean }): Promise<TicketFieldView[]> {
    return (await execute<FieldRow[]>(tx, customFieldsSql.listFields(tx.tenantId, page))).map(toFieldView);
  }

  /** undefined when the key is taken (by a live or a deleted field). */
  async insertField(tx: TenantTx, key: string, type: FieldType, fields: TicketFieldFields): Promise<TicketFieldView | undefined> {
    const [row] = await execute<FieldRow[]>(tx, customFieldsSql.insertField(tx.tenantId, key, type, fields));
    return row ? toFieldView(row) : undefined;
  }

  async updateField(tx: TenantTx, id: string, fields: TicketFieldFields): Promise<TicketFieldView> {
    await execute(tx, customFieldsSql.updateField(tx.tenantId, id, fields));
    return (await this.field(tx, id))!;
  }

  async softDeleteField(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, customFieldsSql.softDeleteField(tx.tenantId, id));
  }

  async form(tx: TenantTx, id: string, opts: { lock?: boolean; live?: boolean } = {}): Promise<TicketFormView | undefined> {
    const [row] = await execute<FormRow[]>(tx, customFieldsSql.form(tx.tenantId, id, opts));
    return row ? toFormView(row) : undefined;
  }

  async listForms(tx: TenantTx, page: { limit: number; after?: [string, string] }): Promise<TicketFormView[]> {
    return (await execute<FormRow[]>(tx, customFieldsSql.listForms(tx.tenantId, page))).map(toFormView);
  }

  async formNameTaken(tx: TenantTx, name: string, exceptId: string | null): Promise<boolean> {
    return (await execute<unknown[]>(tx, customFieldsSql.formNameTaken(tx.tenantId, name, exceptId))).length > 0;
  }

  /** Takes the default flag from every other form. */
  async clearDefault(tx: TenantTx, exceptId: string | null): Promise<void> {
    await execute(tx, customFieldsSql.clearDefault(tx.tenantId, exceptId));
  }

  async insertForm(tx: TenantTx, fields: TicketFormFields): Promise<TicketFormView> {
    const [row] = await execute<FormRow[]>(tx, customFieldsSql.insertForm(tx.tenantId, fields));
    return toFormView(row);
  }

  async updateForm(tx: TenantTx, id: string, fields: TicketFormFields): Promise<TicketFormView> {
    await execute(tx, customFieldsSql.updateForm(tx.tenantId, id, fields));
    return (await this.form(tx, id))!;
  }

  async softDeleteForm(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, customFieldsSql.softDeleteForm(tx.tenantId, id));
  }
}
