import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ProblemException } from '@switchboard/platform';

/** The Socket.IO namespace visitors of the web chat widget connect to (ADR 0057). */
export const VISITOR_NAMESPACE = '/visitor';

/** One room per visitor session: the only room a visitor socket ever joins, derived from its token. */
export const visitorRoom = (tenantId: string, sessionId: string) => `visitor:${tenantId}:${sessionId}`;

/** What a web channel's widget looks like and asks (not secret; served publicly by its public key). */
export interface WidgetSettings {
  /** Origins (scheme://host[:port]) whose pages may embed the widget; `*` allows any. */
  allowedOrigins: string[];
  greeting: string;
  /** A CSS hex colour for the launcher and the visitor's bubbles. */
  color: string;
  /** Whether the visitor is asked for their name and email before the first message. */
  collectContact: 'none' | 'optional' | 'required';
}

export const DEFAULT_WIDGET: WidgetSettings = { allowedOrigins: [], greeting: 'Hi! How can we help?', color: '#1f6feb', collectContact: 'optional' };

/** The largest message a visitor may send (characters). */
export const VISITOR_MESSAGE_MAX = 4000;

/** The subject of a new widget conversation: the first line of what the visitor wrote. */
export function visitorSubject(body: string): string {
  const line = body.trim().split('\n')[0]!.trim();
  return (line.length > 80 ? `${line.slice(0, 79)}…` : line) || 'Web chat';
}

export const newPublicKey = () => `wk_${randomBytes(18).toString('base64url')}`;

/** `origin` as browsers send it (scheme://host[:port], lower case), or null when it is not one. */
export function normaliseOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return null;
    return url.origin.toLowerCase();
  } catch {
    return null;
  }
}

/** Whether a page at `origin` may use the widget. No Origin header (not a browser) is refused unless any origin is allowed. */
export function originAllowed(allowed: readonly string[], origin: string | undefined | null): boolean {
  if (allowed.includes('*')) return true;
  if (!origin) return false;
  const o = normaliseOrigin(origin);
  return o !== null && allowed.includes(o);
}

/**
 * A visitor token: `wvt_<session id>.<secret>`. The session id finds the row; only the SHA-256 of
 * the secret is stored, compared in constant time.
 */
export function newVisitorToken(sessionId: string): { token: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `wvt_${sessionId}.${secret}`, secretHash: hashSecret(secret) };
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

const TOKEN = /^wvt_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** The session id and secret of a well-formed token, else null. */
export function readVisitorToken(token: string | undefined | null): { sessionId: string; secret: string } | null {
  const match = typeof token === 'string' ? TOKEN.exec(token.replace(/^Bearer\s+/i, '').trim()) : null;
  return match ? { sessionId: match[1]!, secret: match[2]! } : null;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A web channel's widget settings, defaults filled in and origins normalised (a 400 names one that is not an origin). */
export function widgetSettings(given: Partial<WidgetSettings>, base: WidgetSettings = DEFAULT_WIDGET): WidgetSettings {
  const allowedOrigins = (given.allowedOrigins ?? base.allowedOrigins).map((origin, i) => {
    if (origin === '*') return '*';
    const normalised = normaliseOrigin(origin);
    if (!normalised) throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `"${origin.slice(0, 100)}" is not an origin (scheme://host[:port], no path).`, errors: [{ field: `widget.allowedOrigins.${i}`, message: 'must be an origin like https://www.acme.example' }] });
    return normalised;
  });
  return {
    allowedOrigins: [...new Set(allowedOrigins)],
    greeting: given.greeting ?? base.greeting,
    color: given.color ?? base.color,
    collectContact: given.collectContact ?? base.collectContact,
  };
}
