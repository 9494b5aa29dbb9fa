import type { Statement } from '@switchboard/platform';
import type { FieldOption, FieldRule, FieldType, StoredValue, ValueColumn } from '../domain/custom-fields';

export interface TicketFieldRow {
  id: string;
  key: string;
  label: string;
  type: FieldType;
  description: string | null;
  options: FieldOption[];
  pattern: string | null;
  required_at_create: boolean;
  required_at_solve: boolean;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** What a field definition holds; a command sets all of them at once (the key and type never change). */
export interface TicketFieldFields {
  label: string;
  description: string | null;
  options: FieldOption[];
  pattern: string | null;
  requiredAtCreate: boolean;
  requiredAtSolve: boolean;
}

export interface TicketFieldView extends TicketFieldFields, FieldRule {
  /** False once deleted: the field takes no new values, old ones stay readable. */
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface FormFieldEntry {
  fieldId: string;
  /** Overrides the field's requiredAtCreate on this form; null follows the field. */
  required: boolean | null;
}

export interface TicketFormFields {
  name: string;
  fields: FormFieldEntry[];
  isDefault: boolean;
}

export interface TicketFormView extends TicketFormFields {
  id: string;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

interface TicketFormRow {
  id: string;
  name: string;
  fields: FormFieldEntry[];
  is_default: boolean;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const FIELD_COLUMNS = 'id, key, label, type, description, options, pattern, required_at_create, required_at_solve, deleted_at, created_at, updated_at, version';
const FORM_COLUMNS = 'id, name, fields, is_default, deleted_at, created_at, updated_at, version';

export const toFieldView = (r: TicketFieldRow): TicketFieldView => ({
  id: r.id,
  key: r.key,
  label: r.label,
  type: r.type,
  description: r.description,
  options: r.options,
  pattern: r.pattern,
  requiredAtCreate: r.required_at_create,
  requiredAtSolve: r.required_at_solve,
  active: r.deleted_at === null,
  deletedAt: iso(r.deleted_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

export const toFormView = (r: TicketFormRow): TicketFormView => ({
  id: r.id,
  name: r.name,
  fields: r.fields,
  isDefault: r.is_default,
  deletedAt: iso(r.deleted_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

export type { TicketFieldRow as FieldRow, TicketFormRow as FormRow };

const VALUE_COLUMNS: ValueColumn[] = ['value_text', 'value_number', 'value_date', 'value_bool', 'value_uuid', 'value_options'];

export const customFieldsSql = {
  /** Deleted fields too (old values name them) unless `live`. */
  field: (tenantId: string, id: string, opts: { lock?: boolean; live?: boolean } = {}): Statement => ({
    sql: `SELECT ${FIELD_COLUMNS} FROM ticket_fields WHERE tenant_id = $1 AND id = $2${opts.live ? ' AND deleted_at IS NULL' : ''}${opts.lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  /** Every field of the tenant, deleted ones too (a tenant has tens, not thousands): what value checks and filters resolve keys against. */
  allFields: (tenantId: string): Statement => ({
    sql: `SELECT ${FIELD_COLUMNS} FROM ticket_fields WHERE tenant_id = $1 ORDER BY created_at, id`,
    params: [tenantId],
  }),

  /** By creation, one more than `limit`; `after` is the last row's (created_at, id). */
  listFields: (tenantId: string, page: { limit: number; after?: [string, string]; includeDeleted?: boolean }): Statement => {
    const params: unknown[] = [tenantId, page.limit + 1];
    let where = page.includeDeleted ? '' : ' AND deleted_at IS NULL';
    if (page.after) where += ` AND (created_at, id) > ($${params.push(page.after[0])}::timestamptz, $${params.push(page.after[1])}::uuid)`;
    return { sql: `SELECT ${FIELD_COLUMNS} FROM ticket_fields WHERE tenant_id = $1${where} ORDER BY created_at, id LIMIT $2`, params };
  },

  keyTaken: (tenantId: string, key: string): Statement => ({
    sql: `SELECT id FROM ticket_fields WHERE tenant_id = $1 AND key = $2`,
    params: [tenantId, key],
  }),

  insertField: (tenantId: string, key: string, type: FieldType, f: TicketFieldFields): Statement => ({
    sql: `INSERT INTO ticket_fields (tenant_id, key, type, label, description, options, pattern, required_at_create, required_at_solve)
          VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) ON CONFLICT (tenant_id, key) DO NOTHING RETURNING ${FIELD_COLUMNS}`,
    params: [tenantId, key, type, f.label, f.description, JSON.stringify(f.options), f.pattern, f.requiredAtCreate, f.requiredAtSolve],
  }),

  updateField: (tenantId: string, id: string, f: TicketFieldFields): Statement => ({
    sql: `UPDATE ticket_fields SET label = $3, description = $4, options = $5::jsonb, pattern = $6, required_at_create = $7, required_at_solve = $8, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, f.label, f.description, JSON.stringify(f.options), f.pattern, f.requiredAtCreate, f.requiredAtSolve],
  }),

  softDeleteField: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE ticket_fields SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
    params: [tenantId, id],
  }),

  form: (tenantId: string, id: string, opts: { lock?: boolean; live?: boolean } = {}): Statement => ({
    sql: `SELECT ${FORM_COLUMNS} FROM ticket_forms WHERE tenant_id = $1 AND id = $2${opts.live ? ' AND deleted_at IS NULL' : ''}${opts.lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  defaultForm: (tenantId: string): Statement => ({
    sql: `SELECT ${FORM_COLUMNS} FROM ticket_forms WHERE tenant_id = $1 AND is_default AND deleted_at IS NULL`,
    params: [tenantId],
  }),

  listForms: (tenantId: string, page: { limit: number; after?: [string, string] }): Statement => {
    const params: unknown[] = [tenantId, page.limit + 1];
    let where = '';
    if (page.after) where = ` AND (lower(name), id) > ($${params.push(page.after[0])}, $${params.push(page.after[1])}::uuid)`;
    return { sql: `SELECT ${FORM_COLUMNS} FROM ticket_forms WHERE tenant_id = $1 AND deleted_at IS NULL${where} ORDER BY lower(name), id LIMIT $2`, params };
  },

  formNameTaken: (tenantId: string, name: string, exceptId: string | null): Statement => ({
    sql: `SELECT id FROM ticket_forms WHERE tenant_id = $1 AND lower(name) = lower($2) AND deleted_at IS NULL AND id IS DISTINCT FROM $3::uuid`,
    params: [tenantId, name, exceptId],
  }),

  /** Only one default form: the new default takes the flag from the old one. */
  clearDefault: (tenantId: string, exceptId: string | null): Statement => ({
    sql: `UPDATE ticket_forms SET is_default = false, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND is_default AND id IS DISTINCT FROM $2::uuid`,
    params: [tenantId, exceptId],
  }),

  insertForm: (tenantId: string, f: TicketFormFields): Statement => ({
    sql: `INSERT INTO ticket_forms (tenant_id, name, fields, is_default) VALUES ($1, $2, $3::jsonb, $4) RETURNING ${FORM_COLUMNS}`,
    params: [tenantId, f.name, JSON.stringify(f.fields), f.isDefault],
  }),

  updateForm: (tenantId: string, id: string, f: TicketFormFields): Statement => ({
    sql: `UPDATE ticket_forms SET name = $3, fields = $4::jsonb, is_default = $5, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, f.name, JSON.stringify(f.fields), f.isDefault],
  }),

  softDeleteForm: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE ticket_forms SET deleted_at = now(), is_default = false, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
    params: [tenantId, id],
  }),

  /** Sets one ticket's value of one field (replacing what it held). */
  upsertValue: (tenantId: string, ticketId: string, fieldId: string, v: StoredValue): Statement => {
    const values = VALUE_COLUMNS.map((c) => (c === v.column ? v.value : null));
    return {
      sql: `INSERT INTO ticket_field_values (tenant_id, ticket_id, field_id, ${VALUE_COLUMNS.join(', ')}) VALUES ($1, $2, $3, $4, $5::numeric, $6::date, $7, $8::uuid, $9::text[])
            ON CONFLICT (tenant_id, ticket_id, field_id) DO UPDATE SET ${VALUE_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
      params: [tenantId, ticketId, fieldId, ...values],
    };
  },

  deleteValue: (tenantId: string, ticketId: string, fieldId: string): Statement => ({
    sql: `DELETE FROM ticket_field_values WHERE tenant_id = $1 AND ticket_id = $2 AND field_id = $3`,
    params: [tenantId, ticketId, fieldId],
  }),
};
