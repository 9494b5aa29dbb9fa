import { ProblemException } from '@switchboard/platform';
import { normaliseTerm } from '../queries/search-articles/search-sql';

export const SYNONYM_TERMS_MIN = 2;
export const SYNONYM_TERMS_MAX = 20;
export const SYNONYM_TERM_MAX_CHARS = 100;
/** Words in one term: the search matches the query's words and phrases of up to three words. */
export const SYNONYM_TERM_MAX_WORDS = 3;
/** Synonym sets a tenant may keep; every search reads the sets matching its words. */
export const SYNONYM_SETS_MAX = 2000;

const invalid = (detail: string) => new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail, errors: [{ field: 'terms', message: detail }] });

/**
 * A synonym set's terms as stored and matched: letters and digits lower-cased, one space between
 * words ("Wi-Fi" → "wi fi"), duplicates folded, first-seen order. Throws a 422 naming the term
 * that cannot be matched or the count that is out of range.
 */
export function normaliseSynonymTerms(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of terms) {
    const term = normaliseTerm(raw);
    if (!term) throw invalid(`The term ${JSON.stringify(raw)} has no letters or digits to match.`);
    if (term.length > SYNONYM_TERM_MAX_CHARS) throw invalid(`The term ${JSON.stringify(raw.slice(0, 40))}… is longer than ${SYNONYM_TERM_MAX_CHARS} characters.`);
    if (term.split(' ').length > SYNONYM_TERM_MAX_WORDS) throw invalid(`The term ${JSON.stringify(raw)} has more than ${SYNONYM_TERM_MAX_WORDS} words; search matches words and phrases of up to ${SYNONYM_TERM_MAX_WORDS}.`);
    if (!out.includes(term)) out.push(term);
  }
  if (out.length < SYNONYM_TERMS_MIN) throw invalid(`A synonym set needs at least ${SYNONYM_TERMS_MIN} different terms (after lower-casing and folding punctuation); it has ${out.length}.`);
  if (out.length > SYNONYM_TERMS_MAX) throw invalid(`A synonym set holds at most ${SYNONYM_TERMS_MAX} terms; it has ${out.length}. Split it into narrower sets.`);
  return out;
}
