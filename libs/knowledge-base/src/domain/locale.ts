import { ProblemException } from '@switchboard/platform';

/** Postgres text search configurations by primary language; anything else uses `simple`. */
const TS_CONFIGS: Record<string, string> = {
  ar: 'arabic', ca: 'catalan', da: 'danish', de: 'german', el: 'greek', en: 'english', es: 'spanish', eu: 'basque',
  fi: 'finnish', fr: 'french', ga: 'irish', hi: 'hindi', hu: 'hungarian', hy: 'armenian', id: 'indonesian', it: 'italian',
  lt: 'lithuanian', ne: 'nepali', nl: 'dutch', no: 'norwegian', nb: 'norwegian', nn: 'norwegian', pt: 'portuguese',
  ro: 'romanian', ru: 'russian', sr: 'serbian', sv: 'swedish', ta: 'tamil', tr: 'turkish', yi: 'yiddish',
};

/** The canonical BCP 47 form of a locale (`en-gb` → `en-GB`), or null when it is not a language tag. */
export function canonicalLocale(value: string): string | null {
  if (typeof value !== 'string' || value.length < 2 || value.length > 35) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical ?? null;
  } catch {
    return null;
  }
}

export function requireLocale(value: string, field = 'locale'): string {
  const locale = canonicalLocale(value);
  if (!locale) {
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Bad Request',
      detail: `"${String(value).slice(0, 40)}" is not a BCP 47 language tag such as en, de or pt-BR.`,
      errors: [{ field, message: 'must be a BCP 47 language tag' }],
    });
  }
  return locale;
}

/** Every language with a configuration of its own, as parallel arrays (for SQL that maps locales itself). */
export function textSearchLanguages(): { languages: string[]; configs: string[] } {
  const entries = Object.entries(TS_CONFIGS);
  return { languages: entries.map(([language]) => language), configs: entries.map(([, config]) => config) };
}

/** The text search configuration for a locale: stemming and stop words of its language. */
export function textSearchConfig(locale: string): string {
  return TS_CONFIGS[locale.split('-')[0].toLowerCase()] ?? 'simple';
}

/**
 * Languages whose function words mark a question as (partly) written in them, when the passages
 * are in another: the help-center languages most often mixed with English. Their stop word lists
 * hold short words ("de", "als", "un", "la") that English text does not use.
 */
export const MIXED_LANGUAGE_CONFIGS = ['dutch', 'french', 'german', 'italian', 'portuguese', 'spanish'] as const;
