import { ProblemException } from '@switchboard/platform';
import { COMMON_PASSWORDS } from './common-passwords.data';

/** NIST SP 800-63B: length, not composition. Matches the DTOs' MinLength/MaxLength. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const COMMON = new Set(COMMON_PASSWORDS.split('\n'));

/**
 * Why a password is refused, or null when it is acceptable. Checked locally against the bundled
 * list of the 10,000 most common passwords: the password itself, and what is left once the usual
 * padding is taken away (trailing digits and symbols, a word typed twice, one character
 * repeated), since "password1234" or "qwertyqwerty" are in every cracker's first guesses.
 * `context` holds words the password must not be built on (the email, its local part, the tenant).
 */
export function passwordWeakness(password: string, context: readonly string[] = []): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const lower = password.normalize('NFKC').toLowerCase();
  if (/^(.)\1*$/su.test(lower)) return 'must not be one character repeated';
  const candidates = new Set([lower, lower.replace(/[\s\d\p{P}\p{S}]+$/u, ''), lower.replace(/^[\s\d\p{P}\p{S}]+/u, ''), lower.replace(/[\s\p{P}\p{S}]+/gu, '')]);
  const half = lower.length % 2 === 0 ? lower.slice(0, lower.length / 2) : null;
  if (half && half + half === lower) candidates.add(half);
  for (const candidate of candidates) {
    if (candidate && COMMON.has(candidate)) return 'is one of the most common passwords (found in breach lists); choose another';
  }
  if (/^(?:0123456789|1234567890|9876543210|abcdefghij|qwertyuiop)/.test(lower)) return 'must not be a keyboard or number sequence';
  // Padding taken off both sides: "ada.lovelace7!!" is built on "ada.lovelace7" as much as on "ada.lovelace".
  const unpadded = (s: string) => s.replace(/[\s\d\p{P}\p{S}]+$/u, '');
  for (const word of context) {
    const w = word.trim().toLowerCase();
    if (w.length >= 4 && (lower === w || unpadded(lower) === w || (unpadded(w).length >= 4 && unpadded(lower) === unpadded(w)))) return 'must not be your email address or the tenant’s name';
  }
  return null;
}

/** 400 weak-password naming the field, or nothing. */
export function assertAcceptablePassword(password: string, field: string, context: readonly string[] = []): void {
  const weakness = passwordWeakness(password, context);
  if (!weakness) return;
  throw new ProblemException({
    status: 400,
    type: 'weak-password',
    title: 'Bad Request',
    detail: `The password ${weakness}.`,
    errors: [{ field, message: weakness }],
  });
}

/** What the email gives away: the address and its local part. */
export function emailWords(email: string): string[] {
  const normalised = email.trim().toLowerCase();
  return [normalised, normalised.split('@')[0] ?? ''];
}
