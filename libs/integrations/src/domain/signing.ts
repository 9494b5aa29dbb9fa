import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Secrets look like Standard Webhooks' `whsec_<base64>`; the HMAC key is the decoded bytes. */
const PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/** One `v1,<base64>` signature over `<id>.<timestamp>.<body>` (HMAC-SHA256, the Standard Webhooks scheme). */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The `Webhook-Signature` header: one signature per live secret, space-separated (a rotation signs with both). */
export function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets.map((secret) => sign(secret, id, timestamp, body)).join(' ');
}

/**
 * What a receiver does: recompute the signature with its secret and accept the message when any
 * `v1` signature in the header matches and the timestamp is within `toleranceSeconds` of now
 * (replays of an old message are refused).
 */
export function verify(secret: string, headers: { id: string; timestamp: string; signature: string }, body: string, options: { now?: number; toleranceSeconds?: number } = {}): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp)) return false;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(sign(secret, headers.id, timestamp, body));
  return headers.signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
