import { editDistance, judgeCoverage, MISSING_OWN_WORD_WEIGHT, questionWords, type NearTerm, type QuestionTerm, type QuestionWord } from './coverage';

const t = (lexeme: string, df: number, inPassages: boolean, over: Partial<QuestionTerm> = {}): QuestionTerm => ({ lexeme, df, nearest: [], inPassages, inArticles: inPassages, synonym: null, learned: null, ...over });
const near = (lexeme: string, similarity: number, df: number, inPassages: boolean): NearTerm => ({ lexeme, similarity, df, inPassages });

/** The question's words as an English knowledge base reads them (a small stand-in for the parser). */
const ENGLISH_STOP = ['how', 'do', 'i', 'my', 'the', 'to', 'is', 'what', 'in', 'with', 'can', 'a', 'shows', 'no', 'it', 'since', 'use'];
const OTHER_STOP = ['de', 'la', 'als', 'un', 'se'];
const words = (q: string): QuestionWord[] =>
  questionWords(q).map((w) => {
    const lower = w.text.toLowerCase();
    const ownStop = ENGLISH_STOP.includes(lower);
    return { ...w, ownStop, otherStop: !ownStop && OTHER_STOP.includes(lower), lexemes: ownStop ? [] : [lower.split(/['’]/)[0]!.replace(/(ion|y)$/, '')] };
  });

describe('judgeCoverage', () => {
  it('is covered when the passages hold the question\'s words', () => {
    const v = judgeCoverage([t('reset', 3, true), t('password', 8, true)], words('How do I reset my password?'), 300);
    expect(v).toMatchObject({ coverage: 1, foreign: [], named: [], covered: true });
  });

  it('is not covered when a lower-case word the tenant never wrote carries the question', () => {
    const v = judgeCoverage([t('cancel', 10, true), t('netflix', 0, false), t('subscript', 20, true)], words('how do i cancel my netflix subscription'), 300);
    expect(v.foreign).toEqual(['netflix']);
    expect(v.coverage).toBeLessThan(0.6);
    expect(v.covered).toBe(false);
  });

  it('declines a named thing the tenant never wrote however well the rest is covered, and does not read it as a typo', () => {
    // "nest" is a trigram neighbour of the tenant's "nestor", which the passages hold.
    const terms = [t('nest', 0, false, { nearest: [near('nestor', 0.5, 3, true), near('next', 0.3, 9, false)] }), t('thermostat', 12, true), t('show', 30, true), t('wrong', 5, true), t('temperatur', 8, true)];
    const v = judgeCoverage(terms, words('My Nest thermostat shows the wrong temperature'), 300);
    expect(v).toMatchObject({ named: ['nest'], covered: false });
    expect(v.coverage).toBe(1);
    // Written by the tenant, the same capital is no signal.
    expect(judgeCoverage([t('nest', 2, true), t('thermostat', 12, true)], words('My Nest thermostat'), 300).covered).toBe(true);
    // Nor at the start of a sentence.
    expect(judgeCoverage([t('ecobe', 0, false), t('thermostat', 12, true), t('wifi', 4, true)], words('Ecobee thermostat wifi'), 300).named).toEqual([]);
  });

  it('reads acronyms and inner capitals as names in a sentence of the tenant\'s language', () => {
    expect(judgeCoverage([t('file', 5, true), t('vat', 4, true), t('return', 6, true), t('hmrc', 0, false)], words('How do I file my VAT return with HMRC?'), 300).named).toEqual(['hmrc']);
    expect(judgeCoverage([t('pay', 9, true), t('subscript', 20, true), t('paypal', 0, false)], words('Can I pay my subscription with PayPal?'), 300).named).toEqual(['paypal']);
  });

  it('judges a mixed-language question on the tenant\'s words, leaving the other language\'s out', () => {
    const v = judgeCoverage([t('mot', 0, false, { nearest: [near('not', 0.2, 40, false)] }), t('pass', 0, false), t('oublié', 0, false), t('app', 30, true), t('password', 8, true)], words('mot de passe oublié app password'), 300);
    expect(v).toMatchObject({ coverage: 1, named: [], covered: true });
    expect(v.otherLanguage).toEqual(['mot', 'pass', 'oublié']);
    // Keywords without any function word are read the same way (an all-capital word is no name there).
    expect(judgeCoverage([t('thermostat', 12, true), t('wlan', 0, false), t('verbinden', 0, false), t('wifi', 4, true)], words('thermostat WLAN verbinden wifi'), 300)).toMatchObject({ named: [], covered: true });
    // With nothing the tenant wrote, nothing is covered.
    expect(judgeCoverage([t('asdf', 0, false), t('qwerti', 0, false)], words('asdf qwerty'), 300)).toMatchObject({ coverage: 0, covered: false });
  });

  it('reads a typo as the word it stands for, covered when the passages hold one of its readings', () => {
    const factroy = t('factroy', 0, false, { nearest: [near('factor', 0.4, 2, false), near('factori', 0.33, 5, true)] });
    expect(judgeCoverage([factroy, t('reset', 6, true)], words('factroy reset'), 300)).toMatchObject({ coverage: 1, covered: true });
    // A reading the passages do not hold counts against, like any uncovered word.
    const cuopon = t('cuopon', 0, false, { nearest: [near('coupon', 0.3, 3, false)] });
    expect(judgeCoverage([cuopon, t('code', 10, true)], words('what is the cuopon code'), 300).covered).toBe(false);
  });

  it('counts the tenant\'s synonyms and agents\' learned words as the tenant\'s own', () => {
    const synonym = t('wlan', 0, false, { synonym: { df: 4, inPassages: true } });
    expect(judgeCoverage([synonym, t('thermostat', 12, true)], words('connect the thermostat to wlan'), 300)).toMatchObject({ foreign: [], covered: true });
    const learned = t('frozen', 0, false, { learned: { inPassages: true } });
    expect(judgeCoverage([learned, t('screen', 5, true)], words('the screen is frozen'), 300)).toMatchObject({ foreign: [], covered: true });
    expect(judgeCoverage([t('frozen', 0, false, { learned: { inPassages: false } }), t('screen', 5, true)], words('the screen is frozen'), 300).covered).toBe(false);
  });

  it('leaves bare numbers, short words and contractions out, and holds a word another chunk of the article holds', () => {
    const v = judgeCoverage([t('2024', 0, false), t('doesn', 0, false), t('sync', 4, false, { inArticles: true })], words("it doesn't sync since 2024"), 300);
    expect(v).toMatchObject({ coverage: 1, foreign: [], covered: true });
  });

  it('counts a word the tenant writes but the passages\' articles lack at part of its weight, below a word it never wrote', () => {
    const missing = judgeCoverage([t('offlin', 5, true), t('mode', 5, false)], words('offline mode'), 300);
    expect(missing.coverage).toBeCloseTo(1 / (1 + MISSING_OWN_WORD_WEIGHT), 5);
    const never = judgeCoverage([t('offlin', 5, true), t('modus', 0, false)], words('use offline modus'), 300);
    expect(never.coverage).toBeLessThan(missing.coverage);
  });

  it('has nothing to judge in a question of stop words only, and 0 turns the check off', () => {
    expect(judgeCoverage([], words('how do I?'), 300).covered).toBe(true);
    expect(judgeCoverage([t('netflix', 0, false)], words('my Netflix'), 300, 0).covered).toBe(true);
  });
});

describe('questionWords', () => {
  it('trims punctuation and marks the words that open a sentence', () => {
    expect(questionWords('My Nest shows E2. Why? "Ecobee" works')).toEqual([
      { text: 'My', sentenceStart: true },
      { text: 'Nest', sentenceStart: false },
      { text: 'shows', sentenceStart: false },
      { text: 'E2', sentenceStart: false },
      { text: 'Why', sentenceStart: true },
      { text: 'Ecobee', sentenceStart: true },
      { text: 'works', sentenceStart: false },
    ]);
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
