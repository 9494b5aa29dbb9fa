import { createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison; a wrong length costs what a wrong byte costs. */
export function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return timingSafeEqual(a.length === b.length ? a : b, b) && a.length === b.length;
}

/** Meta's X-Hub-Signature-256: `sha256=` and the hex HMAC-SHA256 of the raw body under the app secret. */
export function validHubSignature(header: string | undefined, raw: Buffer, appSecret: string): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return timingSafeEqual(Buffer.from(m[1]!, 'hex'), expected);
}
