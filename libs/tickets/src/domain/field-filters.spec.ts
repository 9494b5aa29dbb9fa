import type { FieldRule, FieldType } from './custom-fields';
import { resolveFieldConditions, resolveFieldSort } from './field-filters';

const rule = (key: string, type: FieldType, extra: Partial<FieldRule> = {}): FieldRule => ({
  id: `00000000-0000-4000-8000-${String(key.length).padStart(12, '0')}`,
  key,
  type,
  options: [{ value: 'gold', label: 'Gold', active: false }],
  pattern: null,
  requiredAtCreate: false,
  requiredAtSolve: false,
  deletedAt: null,
  ...extra,
});
const RULES = [rule('plan', 'dropdown'), rule('seats', 'integer'), rule('renewal', 'date'), rule('regions', 'multi_select'), rule('vip', 'checkbox'), rule('gone', 'text', { deletedAt: '2026-12-01T00:00:00.000Z' })];
const problemOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { problem: { status: number; detail: string; errors: unknown[] } }).problem;
  }
  throw new Error('expected a problem');
};

describe('custom field filters', () => {
  it('resolves <key>:<op>:<value> to typed conditions on the field’s column', () => {
    expect(resolveFieldConditions(RULES, ['plan:eq:gold', 'seats:gte:10', 'renewal:lt:2027-01-01', 'regions:in:eu|us', 'vip:eq:true', 'seats:none', 'plan:any', 'plan:eq:a:b'])).toEqual([
      { key: 'plan', fieldId: RULES[0].id, column: 'value_text', op: 'eq', value: 'gold' },
      { key: 'seats', fieldId: RULES[1].id, column: 'value_number', op: 'gte', value: '10' },
      { key: 'renewal', fieldId: RULES[2].id, column: 'value_date', op: 'lt', value: '2027-01-01' },
      { key: 'regions', fieldId: RULES[3].id, column: 'value_options', op: 'in', value: ['eu', 'us'] },
      { key: 'vip', fieldId: RULES[4].id, column: 'value_bool', op: 'eq', value: true },
      { key: 'seats', fieldId: RULES[1].id, column: 'value_number', op: 'none' },
      { key: 'plan', fieldId: RULES[0].id, column: 'value_text', op: 'any' },
      { key: 'plan', fieldId: RULES[0].id, column: 'value_text', op: 'eq', value: 'a:b' },
    ]);
  });

  it.each([
    ['gone:eq:x', 'field gone no longer exists'],
    ['nope:eq:x', 'field nope does not exist'],
    ['seats:gte:ten', 'field seats: ten must be a whole number between -(2^53-1) and 2^53-1'],
    ['plan:lt:gold', 'field plan (dropdown) cannot be compared with lt; use eq or in'],
    ['vip:in:true|false', 'field vip (checkbox) takes eq true or eq false'],
    ['seats:like:1', 'seats:like:1: write <key>:<op>:<value> with op one of eq, in, gt, gte, lt, lte, any, none'],
    ['seats:eq:', 'seats:eq needs a value'],
    ['seats:any:1', 'seats:any takes no value'],
    ['renewal:eq:tomorrow', 'field renewal: tomorrow must be a calendar date written YYYY-MM-DD'],
  ])('refuses %s with a 422 naming it', (raw, detail) => {
    expect(problemOf(() => resolveFieldConditions(RULES, [raw]))).toMatchObject({ status: 422, detail });
  });

  it('sorts by one field; never by a multi-select or a deleted field', () => {
    expect(resolveFieldSort(RULES, 'renewal')).toEqual({ key: 'renewal', fieldId: RULES[2].id, column: 'value_date' });
    expect(problemOf(() => resolveFieldSort(RULES, 'regions')).detail).toBe('field regions (multi_select) cannot be sorted by');
    expect(problemOf(() => resolveFieldSort(RULES, 'gone')).detail).toBe('field gone no longer exists');
  });
});
