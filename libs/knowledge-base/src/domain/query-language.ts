import { onFirstUse } from '@switchboard/platform';
import type * as Tinyld from 'tinyld';
import { canonicalLocale } from './locale';

const tinyld = onFirstUse<typeof Tinyld>('tinyld');

/** Fewer letters than this say too little about a language (tinyld guesses on two words). */
const MIN_LETTERS = 12;

/**
 * The locale to search a query in when the caller named none: the tenant's locale of the query's
 * language (tinyld, ISO 639-1), when the tenant writes in more than one language and exactly one
 * of its locales has that language. Null otherwise: a one-language knowledge base, a short or
 * mixed query the detector is unsure of, or a language the tenant has no articles in (then every
 * article is searched and shared terms still match; nothing is translated).
 */
export function queryLocale(q: string, tenantLocales: readonly string[]): string | null {
  const languageOf = (locale: string) => (canonicalLocale(locale) ?? locale).split('-')[0]!.toLowerCase();
  const languages = new Set(tenantLocales.map(languageOf));
  if (languages.size < 2) return null;
  if (q.replace(/[^\p{L}]/gu, '').length < MIN_LETTERS) return null;
  // tinyld answers '' when no language stands out.
  const lang = tinyld().detect(q.slice(0, 1000));
  if (!lang) return null;
  const matching = tenantLocales.filter((l) => languageOf(l) === lang);
  return matching.length === 1 ? matching[0]! : null;
}
