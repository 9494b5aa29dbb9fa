import { randomBytes } from 'node:crypto';

/** A conversation's reply token: 16 lower-case letters and digits (~80 bits), unguessable. */
export const TOKEN = /^[a-z0-9]{16}$/;
const TOKEN_IN_ADDRESS = /\+t_([a-z0-9]{16})@/gi;
const TOKEN_IN_SUBJECT = /\[t_([a-z0-9]{16})\]/gi;
const TOKEN_IN_MESSAGE_ID = /^<?t_([a-z0-9]{16})\./i;

export function newToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(16)].map((b) => alphabet[b % 36]).join('');
}

/** `support@acme.example` → `support+t_<token>@acme.example`. */
export function replyToAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at).replace(/\+.*$/, '');
  return `${local}+t_${token}@${address.slice(at + 1)}`;
}

/** The address without a `+tag`, lower-cased: what a channel is found by. */
export function baseAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 1) return lower;
  return `${lower.slice(0, at).replace(/\+.*$/, '')}@${lower.slice(at + 1)}`;
}

/** `Re: Boiler [t_…]`: the subject of every reply, with the token once. */
export function replySubject(subject: string, token: string): string {
  const clean = subject.replace(TOKEN_IN_SUBJECT, '').replace(/\s+/g, ' ').trim();
  const base = /^(re|aw|sv|antw)\s*:/i.test(clean) ? clean : `Re: ${clean}`;
  return `${base} [t_${token}]`;
}

/** Our Message-IDs carry the token, so a reply that references one threads even without its row. */
export function outboundMessageId(token: string, id: string, domain: string): string {
  return `<t_${token}.${id}@${domain}>`;
}

/** Message-ids normalised for look-up: angle brackets kept, lower-cased, at most 1000 characters. */
export function normaliseMessageId(id: string): string {
  const trimmed = id.trim();
  const bracketed = trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
  return bracketed.toLowerCase().slice(0, 1000);
}

/**
 * Every token found where replies carry it: the addresses (reply-to `+t_` form), the subject, and
 * our own message ids among In-Reply-To / References. First found first.
 */
export function findTokens(input: { addresses: readonly string[]; subject: string; threadKeys: readonly string[] }): string[] {
  const found: string[] = [];
  const add = (t: string) => {
    const token = t.toLowerCase();
    if (!found.includes(token)) found.push(token);
  };
  for (const address of input.addresses) for (const m of address.matchAll(TOKEN_IN_ADDRESS)) add(m[1]!);
  for (const key of input.threadKeys) {
    const m = TOKEN_IN_MESSAGE_ID.exec(key);
    if (m) add(m[1]!);
  }
  for (const m of input.subject.matchAll(TOKEN_IN_SUBJECT)) add(m[1]!);
  return found;
}

/**
 * Outlook's Thread-Index: 22 bytes naming the conversation, then 5 bytes per reply. Outlook keeps
 * the first 22 bytes on replies even when it drops References, so they identify the thread.
 */
export function threadIndexRoot(header: string | undefined): string | null {
  if (!header) return null;
  const bytes = Buffer.from(header.trim(), 'base64');
  if (bytes.length < 22) return null;
  return bytes.subarray(0, 22).toString('base64');
}

/** A Thread-Index for our first message to a conversation that has none (Outlook then keeps it). */
export function newThreadIndex(): string {
  const bytes = Buffer.alloc(22);
  // 6 bytes of FILETIME (100 ns since 1601), then a 16-byte GUID.
  const filetime = (BigInt(Date.now()) + 11_644_473_600_000n) * 10_000n;
  for (let i = 0; i < 6; i++) bytes[i] = Number((filetime >> BigInt(56 - i * 8)) & 0xffn);
  randomBytes(16).copy(bytes, 6);
  return bytes.toString('base64');
}
