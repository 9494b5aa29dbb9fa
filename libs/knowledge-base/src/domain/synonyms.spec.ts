import { ProblemException } from '@switchboard/platform';
import { queryGrams } from '../queries/search-articles/search-sql';
import { normaliseSynonymTerms } from './synonyms';

const problemOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as ProblemException).problem;
  }
  throw new Error('expected a problem');
};

describe('normaliseSynonymTerms', () => {
  it('stores terms lower-cased with one space between words, duplicates folded in first-seen order', () => {
    expect(normaliseSynonymTerms(['Wi-Fi', 'wireless  network', 'WLAN', 'wi fi'])).toEqual(['wi fi', 'wireless network', 'wlan']);
    expect(normaliseSynonymTerms(['Rückerstattung', 'refund'])).toEqual(['rückerstattung', 'refund']);
  });

  it('refuses a set that would not match anything new, or terms that search cannot match', () => {
    expect(problemOf(() => normaliseSynonymTerms(['refund', 'Refund!']))).toMatchObject({ status: 422, detail: expect.stringContaining('at least 2 different terms') });
    expect(problemOf(() => normaliseSynonymTerms(['refund', '?!']))).toMatchObject({ status: 422, detail: expect.stringContaining('no letters or digits') });
    expect(problemOf(() => normaliseSynonymTerms(['a b c d', 'x']))).toMatchObject({ status: 422, detail: expect.stringContaining('more than 3 words') });
    expect(problemOf(() => normaliseSynonymTerms(['x'.repeat(101), 'y']))).toMatchObject({ status: 422, detail: expect.stringContaining('longer than 100') });
    expect(problemOf(() => normaliseSynonymTerms(Array.from({ length: 21 }, (_, i) => `t${i}`)))).toMatchObject({ status: 422, detail: expect.stringContaining('at most 20') });
  });

  it('matches the query words and phrases the way terms are stored', () => {
    expect(queryGrams('Connect the Wi-Fi!')).toEqual(['connect', 'the', 'wi', 'fi', 'connect the', 'the wi', 'wi fi', 'connect the wi', 'the wi fi']);
  });
});
