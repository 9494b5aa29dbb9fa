import { createHmac, timingSafeEqual } from 'node:crypto';
import { ProblemException } from '@switchboard/platform';

/** How long a survey link can be answered after the ticket was solved. */
export const CSAT_VALIDITY_DAYS = 14;
/** How long a given rating can still be changed (through the same link). */
export const CSAT_CHANGE_WINDOW_DAYS = 7;
export const CSAT_SCALES = ['binary', 'five'] as const;
export type CsatScale = (typeof CSAT_SCALES)[number];
/** Every tenant's scale until a tenant setting exists. */
export const DEFAULT_CSAT_SCALE: CsatScale = 'binary';
export const CSAT_COMMENT_MAX = 2000;

/** good/bad on the binary scale, 1–5 on the five-point one. */
export type CsatRating = 'good' | 'bad' | 1 | 2 | 3 | 4 | 5;

export interface CsatTokenPayload {
  /** Tenant id. */
  t: string;
  /** Ticket id. */
  k: string;
  /** Expiry, unix seconds. */
  e: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(`csat.v1.${body}`).digest('base64url');
}

/** base64url(JSON payload) "." base64url(HMAC-SHA256): the survey link's last path segment. */
export function signCsatToken(key: Buffer, payload: CsatTokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(key, body)}`;
}

/** The payload of a token this key signed, or null for anything else (forged, tampered, malformed). Expiry is the caller's. */
export function verifyCsatToken(key: Buffer, token: string): CsatTokenPayload | null {
  if (typeof token !== 'string' || token.length > 512) return null;
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(sign(key, m[1]!), 'utf8');
  const given = Buffer.from(m[2]!, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const p = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as Partial<CsatTokenPayload>;
    if (typeof p.t !== 'string' || !UUID.test(p.t) || typeof p.k !== 'string' || !UUID.test(p.k) || typeof p.e !== 'number' || !Number.isInteger(p.e)) return null;
    return { t: p.t, k: p.k, e: p.e };
  } catch {
    return null;
  }
}

/** A survey link that does not exist for us: forged, tampered, of a deleted ticket. Never says which. */
export const surveyNotFound = () => new ProblemException({ status: 404, type: 'not-found', title: 'Not Found', detail: 'This survey link is not valid.' });

const badRating = (detail: string) => new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail, errors: [{ field: 'rating', message: detail }] });

/** The rating checked against the survey's scale, as the table stores it. */
export function ratingColumns(scale: CsatScale, rating: unknown): { good: boolean | null; score: number | null } {
  if (scale === 'binary') {
    if (rating === 'good' || rating === 'bad') return { good: rating === 'good', score: null };
    throw badRating('rating must be "good" or "bad" on this survey.');
  }
  if (typeof rating === 'number' && Number.isInteger(rating) && rating >= 1 && rating <= 5) return { good: null, score: rating };
  throw badRating('rating must be a whole number from 1 to 5 on this survey.');
}

export function ratingOf(good: boolean | null, score: number | null): CsatRating | null {
  if (good !== null) return good ? 'good' : 'bad';
  return score === null ? null : (score as CsatRating);
}
