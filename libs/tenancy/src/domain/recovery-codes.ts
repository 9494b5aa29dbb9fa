import { randomBytes } from 'node:crypto';
import { sha256 } from './secrets';

export const RECOVERY_CODE_COUNT = 10;
/** Crockford-style alphabet without look-alikes (no i, l, o, u). */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Ten codes of 10 characters (50 bits each), shown once as `xxxxx-xxxxx`; only their hashes are stored. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, '');
}

export function hashRecoveryCode(code: string): string {
  return sha256(`recovery:${normaliseRecoveryCode(code)}`);
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[0-9a-hjkmnp-tv-z]{10}$/.test(normaliseRecoveryCode(code));
}
