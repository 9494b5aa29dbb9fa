import { ProblemException } from '@switchboard/platform';
import type { FieldCondition, FieldOp, FieldSort } from '../repositories/tickets.sql';
import { FIELD_OPS } from '../repositories/tickets.sql';
import { checkFieldValue, fieldGone, VALUE_COLUMN, type FieldRule } from './custom-fields';

const invalid = (param: string, detail: string) =>
  new ProblemException({ status: 422, type: 'invalid-field-filter', title: 'Unprocessable Content', detail, errors: [{ field: param, message: detail }] });

const RANGES: readonly FieldOp[] = ['gt', 'gte', 'lt', 'lte'];

function findField(rules: readonly FieldRule[], key: string, param: string): FieldRule {
  const field = rules.find((r) => r.key === key);
  if (!field) throw invalid(param, `field ${key.slice(0, 60)} does not exist`);
  if (field.deletedAt) throw fieldGone(key, param);
  return field;
}

/** One operand, checked like a value of the field (options need not be active: old values stay findable). */
function operand(field: FieldRule, raw: string, param: string): string | boolean {
  let value: unknown = raw;
  if (field.type === 'integer') value = /^-?\d{1,16}$/.test(raw) ? Number(raw) : raw;
  if (field.type === 'checkbox') value = raw === 'true' ? true : raw === 'false' ? false : raw;
  const probe: FieldRule = field.type === 'multi_select' || field.type === 'dropdown' ? { ...field, type: 'text' } : field.type === 'regex' ? { ...field, type: 'text' } : field;
  const check = checkFieldValue(probe, value);
  if (!check.ok) throw invalid(param, `field ${field.key}: ${raw.slice(0, 100)} ${check.rule}`);
  const stored = check.stored.value;
  return Array.isArray(stored) ? stored[0] : stored;
}

/**
 * Custom field conditions from the list's `field` parameters (`<key>:<op>:<value>`), resolved
 * against the tenant's fields: an unknown key, a deleted field, an operator the type cannot
 * take or a value the field could not hold is a 422 naming it. Saved views resolve theirs the same way.
 */
export function resolveFieldConditions(rules: readonly FieldRule[], raw: readonly string[], param = 'field'): FieldCondition[] {
  return raw.map((text) => {
    const first = text.indexOf(':');
    const second = first < 0 ? -1 : text.indexOf(':', first + 1);
    const key = first < 0 ? text : text.slice(0, first);
    const op = (second < 0 ? text.slice(first + 1) : text.slice(first + 1, second)) as FieldOp;
    const rest = second < 0 ? undefined : text.slice(second + 1);
    if (first < 0 || !FIELD_OPS.includes(op)) throw invalid(param, `${text.slice(0, 100)}: write <key>:<op>:<value> with op one of ${FIELD_OPS.join(', ')}`);
    const field = findField(rules, key, param);
    const base = { key, fieldId: field.id, column: VALUE_COLUMN[field.type], op };
    if (op === 'any' || op === 'none') {
      if (rest !== undefined) throw invalid(param, `${key}:${op} takes no value`);
      return base;
    }
    if (rest === undefined || rest === '') throw invalid(param, `${key}:${op} needs a value`);
    if (RANGES.includes(op) && !['integer', 'decimal', 'date'].includes(field.type)) throw invalid(param, `field ${key} (${field.type}) cannot be compared with ${op}; use eq or in`);
    if (op === 'in') {
      if (field.type === 'checkbox') throw invalid(param, `field ${key} (checkbox) takes eq true or eq false`);
      const values = rest.split('|');
      if (values.length > 50) throw invalid(param, `${key}:in takes at most 50 values`);
      return { ...base, value: values.map((v) => String(operand(field, v, param))) };
    }
    return { ...base, value: operand(field, rest, param) };
  });
}

/** `sort=field:<key>`: the field to order by (a multi-select has no order). */
export function resolveFieldSort(rules: readonly FieldRule[], key: string, param = 'sort'): FieldSort {
  const field = findField(rules, key, param);
  const column = VALUE_COLUMN[field.type];
  if (column === 'value_options') throw invalid(param, `field ${key} (multi_select) cannot be sorted by`);
  return { key, fieldId: field.id, column };
}
