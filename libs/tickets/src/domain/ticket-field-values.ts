import type { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery, GetOrganizationQuery } from '@switchboard/customers';
import { ProblemException, type FieldError, type TenantTx } from '@switchboard/platform';
import type { TicketFieldView } from '../repositories/custom-fields.sql';
import type { TicketsRepository } from '../repositories/tickets.repository';
import { checkFieldValue, fieldsInvalid, type StoredValue } from './custom-fields';

/** More keys than a tenant could sensibly have fields is refused before any lookup. */
const MAX_VALUES_PER_WRITE = 200;

/** One value to write: set (`stored`) or cleared (null). */
export interface FieldWrite {
  field: TicketFieldView;
  stored: StoredValue | null;
}

export interface FieldPlan {
  formId: string | null;
  writes: FieldWrite[];
  /** The ticket's values after the writes, by key. */
  fields: Record<string, unknown>;
}

/**
 * Checks a ticket's custom field values on create or change and answers what to write. The form
 * (given, or the tenant's default at creation) decides which fields apply and which are required
 * at creation; a required-at-solve field must hold a value when the ticket moves to solved. Every
 * broken rule is reported at once, each naming `fields.<key>` and the rule.
 */
export async function planFieldValues(
  tx: TenantTx,
  deps: { queries: QueryBus; tickets: TicketsRepository },
  input: {
    current: { formId: string | null; fields: Record<string, unknown> };
    /** undefined: keep the current form (at creation: the default form); null: no form. */
    formId?: string | null;
    values?: Record<string, unknown>;
    creating: boolean;
    /** False for tickets customers open through a channel (an email cannot fill fields): required-at-create is then not asked; required-at-solve still is. */
    requireAtCreate?: boolean;
    solving: boolean;
  },
): Promise<FieldPlan> {
  const sent = Object.keys(input.values ?? {}).length;
  if (sent > MAX_VALUES_PER_WRITE) throw fieldsInvalid([{ field: 'fields', message: `at most ${MAX_VALUES_PER_WRITE} values in one write (got ${sent})` }]);
  const [rules, form] = await Promise.all([
    deps.tickets.fieldRules(tx),
    input.formId ? deps.tickets.liveForm(tx, input.formId) : input.formId === undefined && input.creating ? deps.tickets.liveForm(tx, 'default') : undefined,
  ]);
  if (input.formId && !form) {
    throw new ProblemException({
      status: 422,
      type: 'invalid-reference',
      title: 'Unprocessable Content',
      detail: `Ticket form ${input.formId} does not exist.`,
      errors: [{ field: 'formId', message: `Ticket form ${input.formId} does not exist.` }],
    });
  }
  const formId = form ? form.id : input.formId === null ? null : input.creating ? null : input.current.formId;
  const activeForm = form ?? (formId && formId === input.current.formId ? await deps.tickets.liveForm(tx, formId) : undefined);
  const byKey = new Map(rules.map((r) => [r.key, r]));
  const live = rules.filter((r) => r.active);
  // The fields that apply, with whether each is required at creation (a form may override the field's own flag).
  const applicable = new Map<string, { field: TicketFieldView; requiredAtCreate: boolean }>(
    activeForm
      ? activeForm.fields.flatMap((entry) => {
          const field = live.find((f) => f.id === entry.fieldId);
          return field ? [[field.key, { field, requiredAtCreate: entry.required ?? field.requiredAtCreate }] as const] : [];
        })
      : live.map((field) => [field.key, { field, requiredAtCreate: field.requiredAtCreate }] as const),
  );

  const errors: FieldError[] = [];
  const writes: FieldWrite[] = [];
  const after = { ...input.current.fields };
  const lookups: Promise<void>[] = [];
  for (const [key, value] of Object.entries(input.values ?? {})) {
    const name = `fields.${key}`;
    const field = byKey.get(key);
    if (!field) {
      errors.push({ field: name, message: `field ${key.slice(0, 60)} does not exist` });
      continue;
    }
    if (!field.active) {
      errors.push({ field: name, message: `field ${key} no longer exists` });
      continue;
    }
    if (!applicable.has(key)) {
      errors.push({ field: name, message: `is not on the ticket's form` });
      continue;
    }
    if (value === null) {
      if (key in after) {
        writes.push({ field, stored: null });
        delete after[key];
      }
      continue;
    }
    const check = checkFieldValue(field, value, input.current.fields[key]);
    if (!check.ok) {
      errors.push({ field: name, message: check.rule });
      continue;
    }
    if (JSON.stringify(check.shown) === JSON.stringify(input.current.fields[key])) continue;
    writes.push({ field, stored: check.stored });
    after[key] = check.shown;
    if (field.type === 'contact' || field.type === 'organization') {
      const id = check.stored.value as string;
      const query = field.type === 'contact' ? new GetContactQuery(tx.tenantId, id) : new GetOrganizationQuery(tx.tenantId, id);
      lookups.push(
        deps.queries.execute(query).then(
          () => undefined,
          (error: unknown) => {
            // Another tenant's contact is no contact at all: the same answer as a random id.
            if (error instanceof ProblemException && error.problem.status === 404) errors.push({ field: name, message: `${field.type} ${id} does not exist` });
            else throw error;
          },
        ),
      );
    }
  }
  await Promise.all(lookups);
  for (const { field, requiredAtCreate } of applicable.values()) {
    if (after[field.key] !== undefined) continue;
    if (requiredAtCreate && ((input.creating && input.requireAtCreate !== false) || (input.values && input.values[field.key] === null))) errors.push({ field: `fields.${field.key}`, message: 'is required' });
    else if (input.solving && field.requiredAtSolve) errors.push({ field: `fields.${field.key}`, message: 'is required to solve the ticket' });
  }
  if (errors.length > 0) throw fieldsInvalid(errors);
  return { formId, writes, fields: after };
}
