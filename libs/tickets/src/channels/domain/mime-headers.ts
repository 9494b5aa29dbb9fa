import { createHash } from 'node:crypto';
import { normaliseMessageId } from './email-threading';

/**
 * The few headers the accept step needs (Message-ID, From, Subject), read from the header block
 * without parsing the body: accepting stays cheap under a flood, the worker parses the rest.
 */
export function peekHeaders(raw: Buffer): { messageId: string; from: string; subject: string | null } {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  const get = (name: string) => block.match(new RegExp(`^${name}:[ \\t]*(.*)$`, 'im'))?.[1]?.trim();
  const id = get('Message-ID')?.match(/<[^<>\s]+>/)?.[0];
  const fromHeader = get('From') ?? get('Sender') ?? '';
  const from = (fromHeader.match(/<([^<>\s]+@[^<>\s]+)>/)?.[1] ?? fromHeader.match(/[^\s<>"]+@[^\s<>"]+/)?.[0] ?? 'unknown@invalid').toLowerCase();
  return {
    // Without a Message-ID the content decides, so the same mail posted twice is still one.
    messageId: id ? normaliseMessageId(id) : `<sha256.${createHash('sha256').update(raw).digest('hex')}@switchboard.invalid>`,
    from,
    subject: get('Subject')?.slice(0, 1000) ?? null,
  };
}

/** Whether the bytes look like a MIME message at all (a header line before the first blank line). */
export function looksLikeMime(raw: Buffer): boolean {
  const head = raw.subarray(0, 8192).toString('latin1');
  return /^[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n/.test(head) && /^(from|message-id|subject|to|date|received|return-path|mime-version|delivered-to):/im.test(head);
}
