import { z } from 'zod';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');
const ticketRef = z.object({ ticketId: uuid }).strict();

/** The shape of every client → server event; anything else is refused (and counted against the connection). */
export const clientEventSchemas = {
  'ticket.viewing': ticketRef,
  'ticket.left': ticketRef,
  'ticket.typing': z.object({ ticketId: uuid, state: z.enum(['start', 'stop']) }).strict(),
  'presence.set': z.object({ status: z.enum(['online', 'away']) }).strict(),
  'session.renew': z.object({ token: z.string().min(1).max(4096) }).strict(),
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;

/** A per-connection budget: `burst` events at once, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
  }

  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * When an access token expires (ms since epoch), read from its already verified claims; API keys
 * and anything unreadable have no expiry of their own (revocation is caught by re-checking).
 */
export function tokenExpiry(token: string): number | null {
  const parts = token.replace(/^Bearer\s+/i, '').split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}
