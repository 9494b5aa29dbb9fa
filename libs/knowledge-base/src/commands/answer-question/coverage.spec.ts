import { editDistance, judgeCoverage, type QuestionTerm } from './coverage';

const t = (lexeme: string, df: number, inPassages: boolean, nearest: string[] = []): QuestionTerm => ({ lexeme, df, nearest, inPassages });

describe('judgeCoverage', () => {
  it('is covered when the passages hold the question\'s words', () => {
    const v = judgeCoverage([t('reset', 3, true), t('password', 8, true)], 300);
    expect(v).toMatchObject({ coverage: 1, foreign: [], covered: true });
  });

  it('is not covered when a word the tenant never wrote (another brand) carries the question', () => {
    const v = judgeCoverage([t('cancel', 10, true), t('netflix', 0, false, ['net']), t('subscript', 20, true)], 300);
    expect(v.foreign).toEqual(['netflix']);
    expect(v.coverage).toBeLessThan(0.6);
    expect(v.covered).toBe(false);
  });

  it('weighs a rare word the passages miss above common words they hold', () => {
    const v = judgeCoverage([t('invoic', 40, true), t('quickbook', 1, false)], 300);
    expect(v.coverage).toBeLessThan(0.5);
    expect(v.covered).toBe(false);
  });

  it('leaves typos of the tenant\'s words and bare numbers out of the weighing', () => {
    const v = judgeCoverage([t('thermostat', 12, true), t('thermostst', 0, false, ['thermostat']), t('cuopon', 0, false, ['coupon']), t('2024', 0, false)], 300);
    expect(v).toMatchObject({ coverage: 1, foreign: [], covered: true });
  });

  it('has nothing to judge in a question of stop words only, and 0 turns the check off', () => {
    expect(judgeCoverage([], 300).covered).toBe(true);
    expect(judgeCoverage([t('netflix', 0, false)], 300, 0).covered).toBe(true);
  });
});

describe('editDistance', () => {
  it('counts an adjacent swap as one edit and stops early past the limit', () => {
    expect(editDistance('cuopon', 'coupon')).toBe(1);
    expect(editDistance('cancl', 'cancel')).toBe(1);
    expect(editDistance('spotifi', 'spot', 2)).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
