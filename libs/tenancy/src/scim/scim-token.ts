import { randomBytes } from 'node:crypto';
import { randomToken, sha256 } from '../domain/secrets';

/** `sb_scim_<8-char id>_<secret>`: the id finds the row, the secret is stored hashed (like API keys). */
export function newScimToken(): { token: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const secret = randomToken(32);
  return { token: `sb_scim_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

export function parseScimToken(token: string): { prefix: string; secret: string } | null {
  const match = /^sb_scim_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{20,100})$/.exec(token);
  return match ? { prefix: match[1], secret: match[2] } : null;
}
