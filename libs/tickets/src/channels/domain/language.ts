import { onFirstUse } from '@switchboard/platform';
import type * as Tinyld from 'tinyld';

const tinyld = onFirstUse<typeof Tinyld>('tinyld');

/** Fewer letters than this say too little about a language to be worth storing. */
const MIN_LETTERS = 15;

/**
 * The language of a customer's message (ISO 639-1), or null when the text is too short or the
 * detector is unsure (tinyld's own threshold); then the provider's hint (Telegram's language_code), if any, is taken.
 */
export function detectLanguage(text: string, hint: string | null = null): string | null {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length >= MIN_LETTERS) {
    // tinyld answers '' when no language stands out.
    const lang = tinyld().detect(text.slice(0, 2000));
    if (lang) return lang;
  }
  const base = hint?.trim().split(/[-_]/)[0]?.toLowerCase();
  return base && /^[a-z]{2,3}$/.test(base) ? base : null;
}
