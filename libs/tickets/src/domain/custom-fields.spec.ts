import { checkFieldValue, patternProblem, type FieldRule, type FieldType } from './custom-fields';

const field = (type: FieldType, extra: Partial<FieldRule> = {}): FieldRule => ({
  id: '11111111-1111-4111-8111-111111111111',
  key: 'f',
  type,
  options: [
    { value: 'gold', label: 'Gold', active: true },
    { value: 'bronze', label: 'Bronze', active: false },
  ],
  pattern: null,
  requiredAtCreate: false,
  requiredAtSolve: false,
  deletedAt: null,
  ...extra,
});

const stored = (type: FieldType, value: unknown, extra: Partial<FieldRule> = {}, previous?: unknown) => {
  const check = checkFieldValue(field(type, extra), value, previous);
  return check.ok ? { column: check.stored.column, value: check.stored.value, shown: check.shown } : { rule: check.rule };
};

describe('custom field values', () => {
  it('stores each type in its typed column, numbers as exact text', () => {
    expect(stored('text', 'hello')).toEqual({ column: 'value_text', value: 'hello', shown: 'hello' });
    expect(stored('long_text', 'line one\nline two')).toMatchObject({ column: 'value_text' });
    expect(stored('integer', -42)).toEqual({ column: 'value_number', value: '-42', shown: -42 });
    expect(stored('decimal', '123456789.123456')).toMatchObject({ value: '123456789.123456', shown: 123456789.123456 });
    expect(stored('decimal', '1234.500001')).toEqual({ column: 'value_number', value: '1234.500001', shown: 1234.500001 });
    expect(stored('decimal', 0.25)).toEqual({ column: 'value_number', value: '0.25', shown: 0.25 });
    expect(stored('date', '2028-02-29')).toEqual({ column: 'value_date', value: '2028-02-29', shown: '2028-02-29' });
    expect(stored('checkbox', false)).toEqual({ column: 'value_bool', value: false, shown: false });
    expect(stored('contact', 'AAAAAAAA-1111-4111-8111-111111111111')).toMatchObject({ column: 'value_uuid', value: 'aaaaaaaa-1111-4111-8111-111111111111' });
    expect(stored('organization', 'aaaaaaaa-1111-4111-8111-111111111111')).toMatchObject({ column: 'value_uuid' });
    expect(stored('dropdown', 'gold')).toEqual({ column: 'value_text', value: 'gold', shown: 'gold' });
    expect(stored('multi_select', ['gold', 'gold'])).toEqual({ column: 'value_options', value: ['gold'], shown: ['gold'] });
    expect(stored('regex', 'AB-1234', { pattern: '[A-Z]{2}-\\d{4}' })).toMatchObject({ column: 'value_text', value: 'AB-1234' });
  });

  it.each<[FieldType, unknown, RegExp]>([
    ['text', '', /1 to 1000/],
    ['text', 'x'.repeat(1001), /1 to 1000/],
    ['text', 42, /text/],
    ['text', 'nul\u0000', /control characters/],
    ['long_text', 'x'.repeat(10001), /1 to 10000/],
    ['integer', 1.5, /whole number/],
    ['integer', Number.MAX_SAFE_INTEGER + 1, /whole number/],
    ['integer', '7', /whole number/],
    ['decimal', '1e5', /decimal/],
    ['decimal', '1234567890123456', /decimal/],
    ['decimal', '0.1234567', /decimal/],
    ['decimal', '1234567890.123456', /15 significant digits/],
    ['decimal', Infinity, /decimal/],
    ['date', '2027-02-29', /calendar date/],
    ['date', '2027-13-01', /calendar date/],
    ['date', '07/12/2026', /calendar date/],
    ['checkbox', 'true', /true or false/],
    ['checkbox', 0, /true or false/],
    ['contact', 'someone@example.com', /UUID/],
    ['organization', 12, /UUID/],
    ['dropdown', 'platinum', /must be one of gold$/],
    ['dropdown', ['gold'], /option values/],
    ['multi_select', [], /list of 1 to 50/],
    ['multi_select', ['gold', 7], /list of 1 to 50/],
    ['multi_select', ['silver'], /is not one of gold/],
    ['multi_select', Array.from({ length: 51 }, () => 'gold'), /list of 1 to 50/],
  ])('refuses a %s value %j', (type, value, rule) => {
    expect(stored(type, value)).toEqual({ rule: expect.stringMatching(rule) });
  });

  it('refuses a deactivated option as a new choice but keeps it where the ticket already holds it', () => {
    expect(stored('dropdown', 'bronze')).toEqual({ rule: 'option bronze is no longer offered' });
    expect(stored('dropdown', 'bronze', {}, 'bronze')).toMatchObject({ value: 'bronze' });
    expect(stored('multi_select', ['bronze', 'gold'])).toEqual({ rule: 'option bronze is no longer offered' });
    expect(stored('multi_select', ['bronze', 'gold'], {}, ['bronze'])).toMatchObject({ value: ['bronze', 'gold'] });
  });

  it('matches regex fields on the whole value, within a length cap', () => {
    const serial = { pattern: '[A-Z]{2}-\\d{4}' };
    expect(stored('regex', 'xAB-1234', serial)).toEqual({ rule: 'must match the pattern [A-Z]{2}-\\d{4}' });
    expect(stored('regex', 'AB-12345', serial)).toEqual({ rule: 'must match the pattern [A-Z]{2}-\\d{4}' });
    expect(stored('regex', 'a'.repeat(301), { pattern: 'a+' })).toEqual({ rule: 'must be a text of 1 to 300 characters' });
    // An alternation cannot escape the anchors.
    expect(stored('regex', 'anything', { pattern: 'x|.*' })).toMatchObject({ value: 'anything' });
    expect(stored('regex', 'yes', { pattern: 'no|maybe' })).toEqual({ rule: 'must match the pattern no|maybe' });
  });
});

describe('regex field patterns', () => {
  it.each(['[A-Z]{2}-\\d{4}', '^\\+?[0-9 ]{6,20}$', '[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}', '(INV|CRN)-\\d+', '\\d{3}(-[0-9][0-9][0-9][0-9])?', '[(|)]+'])('accepts %s', (pattern) => {
    expect(patternProblem(pattern)).toBeNull();
  });

  it.each(['(a+)+$', '(a*)*b', '([a-z]+)*@', '(\\w+\\s?)+$', '(a|aa)*b', '(x|y|xy)+z', '((ab|a)c?)+d', '(a|b){2,}c'])('refuses the catastrophic %s', (pattern) => {
    expect(patternProblem(pattern)).toMatch(/backtrack catastrophically/);
  });

  it('is conservative: a quantified group holding a quantifier is refused even when bounded (spell the inner repetition out)', () => {
    expect(patternProblem('\\d{3}(-\\d{4})?')).toMatch(/backtrack catastrophically/);
    expect(patternProblem('\\d{3}(-\\d\\d\\d\\d)?')).toBeNull();
  });

  it('refuses invalid, empty and overlong patterns', () => {
    expect(patternProblem('([a-z')).toBe('is not a valid regular expression');
    expect(patternProblem('a{2,1}')).toBe('is not a valid regular expression');
    expect(patternProblem('')).toMatch(/1 to 200/);
    expect(patternProblem('a'.repeat(201))).toMatch(/1 to 200/);
  });
});
