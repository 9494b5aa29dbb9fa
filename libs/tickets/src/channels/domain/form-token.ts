import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The contact form's token: issued by the public GET, signed, naming the tenant and when the form
 * was shown. The POST refuses a token of another tenant, one older than `maxAgeMs`, and one younger
 * than the minimum fill time (a bot posts at once).
 */
export function signFormToken(key: Buffer, tenantId: string, issuedAtMs: number, nonce = randomBytes(9).toString('base64url')): string {
  const payload = `${tenantId}.${issuedAtMs.toString(36)}.${nonce}`;
  return `${Buffer.from(payload).toString('base64url')}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

export type FormTokenVerdict = { ok: true; issuedAtMs: number } | { ok: false; reason: 'invalid' | 'expired' | 'too-fast' };

export function verifyFormToken(key: Buffer, token: string, tenantId: string, options: { nowMs: number; minFillMs: number; maxAgeMs: number }): FormTokenVerdict {
  const [encoded, mac] = token.split('.');
  if (!encoded || !mac || token.length > 300) return { ok: false, reason: 'invalid' };
  const payload = Buffer.from(encoded, 'base64url').toString();
  const expected = createHmac('sha256', key).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const [tokenTenant, issued] = payload.split('.');
  const issuedAtMs = parseInt(issued ?? '', 36);
  if (tokenTenant !== tenantId || !Number.isFinite(issuedAtMs)) return { ok: false, reason: 'invalid' };
  if (options.nowMs - issuedAtMs > options.maxAgeMs) return { ok: false, reason: 'expired' };
  if (options.nowMs - issuedAtMs < options.minFillMs) return { ok: false, reason: 'too-fast' };
  return { ok: true, issuedAtMs };
}
