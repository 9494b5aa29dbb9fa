import { ProblemException, type FieldError } from '@switchboard/platform';
import safeRegex from 'safe-regex2';

/** The kinds of custom ticket field (ADR 0037). */
export const FIELD_TYPES = ['text', 'long_text', 'integer', 'decimal', 'date', 'dropdown', 'multi_select', 'checkbox', 'regex', 'contact', 'organization'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** The typed column a field's values are stored in (one per type, each indexed on (tenant, field, value, ticket)). */
export const VALUE_COLUMN = {
  text: 'value_text',
  long_text: 'value_text',
  regex: 'value_text',
  dropdown: 'value_text',
  integer: 'value_number',
  decimal: 'value_number',
  date: 'value_date',
  checkbox: 'value_bool',
  contact: 'value_uuid',
  organization: 'value_uuid',
  multi_select: 'value_options',
} as const satisfies Record<FieldType, string>;
export type ValueColumn = (typeof VALUE_COLUMN)[FieldType];

export const FIELD_LIMITS = {
  text: 1000,
  longText: 10000,
  /** A regex field's pattern, and the values it is run on: short enough that even a slow match stays small. */
  pattern: 200,
  regexValue: 300,
  options: 200,
  optionValue: 100,
  multiSelect: 50,
} as const;

export interface FieldOption {
  value: string;
  label: string;
  active: boolean;
}

/** What value checks need to know about a field. */
export interface FieldRule {
  id: string;
  key: string;
  type: FieldType;
  options: FieldOption[];
  pattern: string | null;
  requiredAtCreate: boolean;
  requiredAtSolve: boolean;
  deletedAt: string | null;
}

/** A value as stored: its column and what goes in it (numbers travel as strings to keep decimals exact). */
export interface StoredValue {
  column: ValueColumn;
  value: string | boolean | string[];
}

export type ValueCheck = { ok: true; stored: StoredValue; shown: unknown } | { ok: false; rule: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
// C0 controls other than tab, newline and carriage return have no place in a field value.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const fail = (rule: string): ValueCheck => ({ ok: false, rule });
const ok = (column: ValueColumn, value: StoredValue['value'], shown: unknown): ValueCheck => ({ ok: true, stored: { column, value }, shown });

function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || CONTROL.test(value)) return null;
  return value;
}

/** The compiled pattern of a regex field: the whole value must match. */
export const compilePattern = (pattern: string) => new RegExp(`^(?:${pattern})$`, 'u');

/**
 * Checks one non-null value against its field and answers how to store it, or the rule it breaks.
 * `previous` is the ticket's current value: an option deactivated since stays acceptable there
 * (old tickets keep it), but is refused as a new choice.
 */
export function checkFieldValue(field: FieldRule, value: unknown, previous?: unknown): ValueCheck {
  const column = VALUE_COLUMN[field.type];
  switch (field.type) {
    case 'text':
      return text(value, FIELD_LIMITS.text) === null ? fail(`must be a text of 1 to ${FIELD_LIMITS.text} characters without control characters`) : ok(column, value as string, value);
    case 'long_text':
      return text(value, FIELD_LIMITS.longText) === null ? fail(`must be a text of 1 to ${FIELD_LIMITS.longText} characters without control characters`) : ok(column, value as string, value);
    case 'regex': {
      if (text(value, FIELD_LIMITS.regexValue) === null) return fail(`must be a text of 1 to ${FIELD_LIMITS.regexValue} characters`);
      return compilePattern(field.pattern ?? '').test(value as string) ? ok(column, value as string, value) : fail(`must match the pattern ${field.pattern}`);
    }
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? ok(column, String(value), value) : fail('must be a whole number between -(2^53-1) and 2^53-1');
    case 'decimal': {
      const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : null;
      // At most 15 significant digits: values travel back as JSON numbers, which hold 15 exactly.
      const significant = s === null ? 0 : s.replace(/[-.]/g, '').replace(/^0+/, '').length;
      return s !== null && DECIMAL.test(s) && significant <= 15 ? ok(column, s, Number(s)) : fail('must be a decimal number with at most 15 significant digits, 6 of them after the point');
    }
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? ok(column, value, value) : fail('must be a calendar date written YYYY-MM-DD');
    case 'checkbox':
      return typeof value === 'boolean' ? ok(column, value, value) : fail('must be true or false');
    case 'contact':
    case 'organization':
      return typeof value === 'string' && UUID.test(value) ? ok(column, value.toLowerCase(), value.toLowerCase()) : fail(`must be the id (a UUID) of ${field.type === 'contact' ? 'a contact' : 'an organization'}`);
    case 'dropdown': {
      if (typeof value !== 'string') return fail('must be one of the field’s option values');
      const option = field.options.find((o) => o.value === value);
      if (!option) return fail(`must be one of ${field.options.filter((o) => o.active).map((o) => o.value).join(', ') || '(no options)'}`);
      if (!option.active && previous !== value) return fail(`option ${value} is no longer offered`);
      return ok(column, value, value);
    }
    case 'multi_select': {
      if (!Array.isArray(value) || value.length === 0 || value.length > FIELD_LIMITS.multiSelect || value.some((v) => typeof v !== 'string')) {
        return fail(`must be a list of 1 to ${FIELD_LIMITS.multiSelect} option values (null clears it)`);
      }
      const chosen = [...new Set(value as string[])].sort();
      const kept = new Set(Array.isArray(previous) ? (previous as string[]) : []);
      for (const v of chosen) {
        const option = field.options.find((o) => o.value === v);
        if (!option) return fail(`${JSON.stringify(v.slice(0, 100))} is not one of ${field.options.filter((o) => o.active).map((o) => o.value).join(', ') || '(no options)'}`);
        if (!option.active && !kept.has(v)) return fail(`option ${v} is no longer offered`);
      }
      return ok(column, chosen, chosen);
    }
  }
}

/**
 * A pattern a regex field may use: short, valid, and free of the shapes that backtrack
 * catastrophically. safe-regex2 refuses nested quantifiers (star height > 1) such as `(a+)+`; it
 * does not see overlapping alternatives under a quantifier such as `(a|a)*`, so a repeated group
 * holding an alternation is refused here too (write a character class instead).
 */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0 || pattern.length > FIELD_LIMITS.pattern) return `must be 1 to ${FIELD_LIMITS.pattern} characters`;
  try {
    compilePattern(pattern);
  } catch {
    return 'is not a valid regular expression';
  }
  if (!safeRegex(pattern, { limit: 25 }) || repeatedAlternation(pattern)) return 'could backtrack catastrophically (a repeated group inside a repetition, or alternatives under a quantifier); simplify it';
  return null;
}

/** True when a group holding `|` is followed by a quantifier (`*`, `+`, `{n,}` …). Escapes and character classes are skipped. */
function repeatedAlternation(pattern: string): boolean {
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === '|' && groups.length > 0) groups[groups.length - 1] = true;
    else if (c === ')') {
      const alternates = groups.pop() ?? false;
      if (groups.length > 0 && alternates) groups[groups.length - 1] = true;
      if (alternates && /[*+{]/.test(pattern[i + 1] ?? '')) return true;
    }
  }
  return false;
}

export const fieldsInvalid = (errors: FieldError[]) =>
  new ProblemException({
    status: 422,
    type: 'invalid-field-value',
    title: 'Unprocessable Content',
    detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  });

export const fieldKeyTaken = (key: string) =>
  new ProblemException({
    status: 409,
    type: 'conflict',
    title: 'Conflict',
    detail: `A field with key "${key}" already exists (keys stay taken after a field is deleted, so old values keep their meaning).`,
    errors: [{ field: 'key', message: 'must be unique' }],
  });

export const fieldGone = (key: string, param = 'field') =>
  new ProblemException({
    status: 422,
    type: 'field-deleted',
    title: 'Unprocessable Content',
    detail: `field ${key} no longer exists`,
    errors: [{ field: param, message: `field ${key} no longer exists` }],
  });
