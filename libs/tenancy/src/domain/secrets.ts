import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Opaque random tokens (refresh tokens, invitation tokens, API key secrets). */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** High-entropy secrets need no slow hash: SHA-256 makes a stolen table useless. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const API_KEY_PREFIX = 'sb_live_';

/** `sb_live_<8-char id>_<secret>`: the id is shown in lists and finds the row; the secret is hashed. */
export function newApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const secret = randomToken(32);
  return { key: `${API_KEY_PREFIX}${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

export function parseApiKey(token: string): { prefix: string; secret: string } | null {
  const match = /^sb_live_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{20,100})$/.exec(token);
  return match ? { prefix: match[1], secret: match[2] } : null;
}
