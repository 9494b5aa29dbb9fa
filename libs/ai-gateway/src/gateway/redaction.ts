import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import type { ChatMessage, ChatStreamEvent } from '../chat/chat.port';

/** Which kinds of personal data a tenant keeps from non-local providers. */
export interface RedactionSettings {
  email?: boolean;
  phone?: boolean;
  card?: boolean;
}

export type RedactedKind = 'EMAIL' | 'PHONE' | 'CARD';

interface Span {
  start: number;
  end: number;
  kind: RedactedKind;
  /** What makes two spellings the same value (lower-cased address, E.164, bare digits). */
  key: string;
}

// The local part stops at characters that cannot be in one, so `?email=jane@x.io` yields jane@x.io.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g;
// Digit groups joined by single spaces or dashes; which of them form a card is decided by Luhn.
const DIGIT_RUN = /\d+(?:[ -]\d+)*/g;
/**
 * A placeholder as models write it back: `[EMAIL_1]` as issued, and the forms models turn it into:
 * without brackets (`EMAIL_1`), doubled or curly brackets (`[[EMAIL_1]]`, `{EMAIL_1}`), a space or
 * dash for the underscore (`EMAIL 1`, `EMAIL-1`) and lower case with the underscore (`email_1`).
 * Square and curly brackets around it are consumed; anything else around it (`<EMAIL_1>`,
 * `(EMAIL_1)`) is prose and stays. Only placeholders issued for the call are ever restored.
 */
const PLACEHOLDER = /(\[\[|\[|\{\{|\{)?(?<![A-Za-z0-9_])(?:(EMAIL|PHONE|CARD)[ _-]?|(email|phone|card)_)(\d{1,4})(?![A-Za-z0-9_])(\]\]|\]|\}\}|\})?/g;
const CLOSES: Record<string, string> = { '[[': ']]', '[': ']', '{{': '}}', '{': '}' };
/** Longest text the stream restorer may have to wait for: `[[EMAIL_9999]]`. */
const MAX_PLACEHOLDER = 15;
/** Characters after a `+` that can still belong to its number (digits, spacing, an extension). */
const PHONE_WINDOW = 40;
const KINDS: RedactedKind[] = ['EMAIL', 'PHONE', 'CARD'];

/** Whether `tail` (the end of the text so far) could still grow into a placeholder. */
function couldBecomePlaceholder(tail: string): boolean {
  const rest = tail.replace(/^(?:\[\[?|\{\{?)/, '');
  const upper = rest.toUpperCase();
  return KINDS.some((kind) => {
    if (kind.startsWith(upper)) return rest.length > 0 || tail.length > 0;
    if (!upper.startsWith(kind)) return false;
    return /^[ _-]?\d{0,4}(?:\]\]?|\}\}?)?$/.test(rest.slice(kind.length));
  });
}

/**
 * Rewrites each placeholder issued for this call (looked up by its canonical `[KIND_N]` form) with
 * `replacement`; brackets are consumed only when they pair up, so `[EMAIL_1` keeps its `[`.
 */
function replacePlaceholders(text: string, originals: Map<string, string>, replacement: (original: string) => string): string {
  return text.replace(PLACEHOLDER, (match, open: string | undefined, upper: string | undefined, lower: string | undefined, n: string, close: string | undefined) => {
    const original = originals.get(`[${(upper ?? lower!).toUpperCase()}_${Number(n)}]`);
    if (original === undefined) return match;
    const paired = open !== undefined && close !== undefined && CLOSES[open] === close;
    const before = open !== undefined && !paired ? open : '';
    const after = close !== undefined && !paired ? close : '';
    return before + replacement(original) + after;
  });
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const overlaps = (taken: Span[], start: number, end: number) => taken.some((s) => start < s.end && end > s.start);

function findEmails(text: string): Span[] {
  return [...text.matchAll(EMAIL)].map((m) => ({ start: m.index, end: m.index + m[0].length, kind: 'EMAIL' as const, key: m[0].toLowerCase() }));
}

/**
 * Card numbers: 13–19 digits, Luhn-valid, written plain or in groups separated by single spaces
 * or dashes. Groups next to a card (an expiry, a CVC) are not swallowed: the longest valid run of
 * whole groups wins, and a group is never split, so a longer digit string is never a card.
 */
function findCards(text: string, taken: Span[]): Span[] {
  const found: Span[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    const before = text[m.index - 1];
    if (before !== undefined && /[A-Za-z0-9]/.test(before)) continue;
    const groups: { start: number; end: number; digits: string }[] = [];
    for (const g of m[0].matchAll(/\d+/g)) groups.push({ start: m.index + g.index, end: m.index + g.index + g[0].length, digits: g[0] });
    for (let i = 0; i < groups.length; ) {
      let best = -1;
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        digits += groups[j]!.digits;
        if (digits.length > 19) break;
        if (digits.length >= 13 && luhnValid(digits)) best = j;
      }
      if (best >= 0 && !overlaps(taken, groups[i]!.start, groups[best]!.end)) {
        const key = groups.slice(i, best + 1).map((g) => g.digits).join('');
        found.push({ start: groups[i]!.start, end: groups[best]!.end, kind: 'CARD', key });
        i = best + 1;
      } else i++;
    }
  }
  return found;
}

/**
 * Phone numbers in international form (`+49 30 901820`, `0044 20 7946 0958`), validated by
 * libphonenumber. National forms are left alone: without a country they are indistinguishable
 * from dates and order numbers (libphonenumber reads `2024-11-05` as a German number).
 */
function findPhones(text: string, taken: Span[]): Span[] {
  // `00` as international prefix becomes ` +` in a same-length shadow, so offsets still match.
  // Spans already taken (cards, addresses) are blanked out so they cannot merge into a number.
  let shadow = text.replace(/(^|[^\d+])00(?=[1-9])/g, (_m, lead: string) => `${lead} +`);
  for (const s of taken) shadow = shadow.slice(0, s.start) + 'x'.repeat(s.end - s.start) + shadow.slice(s.end);
  const found: Span[] = [];
  // libphonenumber costs ~70 µs per kB of prose; it only sees short windows after a `+`.
  let covered = 0;
  for (const candidate of shadow.matchAll(/\+[\s(]*[1-9]/g)) {
    if (candidate.index < covered) continue;
    const offset = Math.max(0, candidate.index - 1);
    let window = shadow.slice(offset, candidate.index + PHONE_WINDOW);
    let matches = findPhoneNumbersInText(window);
    // A number running into the window's end may be cut short: look again, wider.
    if (matches.some((f) => f.endsAt >= window.length) && offset + window.length < shadow.length) {
      window = shadow.slice(offset, candidate.index + 4 * PHONE_WINDOW);
      matches = findPhoneNumbersInText(window);
    }
    covered = candidate.index + 1;
    // Each `+` gets its own window; numbers found further on wait for theirs.
    for (const f of matches.filter((m) => m.startsAt <= candidate.index - offset + 1)) {
      let start = offset + f.startsAt;
      if (shadow[start] === '+' && text[start] === '0') start -= 1;
      let end = offset + f.endsAt;
      // libphonenumber reads `, 4111…` after a number as its extension; in prose it is the next item.
      if (f.number.ext) {
        const listed = /[,;]\s*\d+$/.exec(text.slice(start, end));
        if (listed) end = start + listed.index;
      }
      // `(+49 30 901820)`: the bracket around a number is prose, not part of it.
      if (text[start] === '(' && !text.slice(start, end).includes(')')) start += 1;
      if (overlaps(taken, start, end) || overlaps(found, start, end) || !f.number.isValid()) continue;
      found.push({ start, end, kind: 'PHONE', key: f.number.number });
      covered = Math.max(covered, end);
    }
  }
  return found;
}

export function detect(text: string, settings: RedactionSettings): Span[] {
  const spans: Span[] = [];
  if (settings.email) spans.push(...findEmails(text));
  if (settings.card) spans.push(...findCards(text, spans));
  if (settings.phone) spans.push(...findPhones(text, spans));
  return spans.sort((a, b) => a.start - b.start);
}

export const redactionEnabled = (settings: RedactionSettings | undefined): settings is RedactionSettings => !!settings && (!!settings.email || !!settings.phone || !!settings.card);

/**
 * One call's redaction: replaces personal data with numbered placeholders (the same value gets
 * the same placeholder across all messages) and puts the originals back into the answer.
 * Card numbers come back masked to their last four digits: a PCI-minded product never echoes a
 * full card number, and the model could not have needed more than the placeholder.
 */
export class Redactor {
  private readonly byKey = new Map<string, string>();
  private readonly originals = new Map<string, string>();
  private readonly counters: Record<RedactedKind, number> = { EMAIL: 0, PHONE: 0, CARD: 0 };

  constructor(private readonly settings: RedactionSettings) {}

  get count(): number {
    return this.originals.size;
  }

  redact(text: string): string {
    const spans = detect(text, this.settings);
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (const span of spans) {
      const original = text.slice(span.start, span.end);
      const mapKey = `${span.kind}|${span.key}`;
      let placeholder = this.byKey.get(mapKey);
      if (!placeholder) {
        placeholder = `[${span.kind}_${++this.counters[span.kind]}]`;
        this.byKey.set(mapKey, placeholder);
        this.originals.set(placeholder, span.kind === 'CARD' ? maskCard(span.key) : original);
      }
      out += text.slice(at, span.start) + placeholder;
      at = span.end;
    }
    return out + text.slice(at);
  }

  messages(messages: ChatMessage[]): ChatMessage[] {
    return messages.map((m) => ({ ...m, content: this.redact(m.content) }));
  }

  /** Placeholders the model invented (numbers never issued for this call) stay as they are. */
  restore(text: string): string {
    if (this.originals.size === 0) return text;
    return replacePlaceholders(text, this.originals, (original) => original);
  }

  /** For JSON answers: originals go in JSON-escaped, so the document stays valid. */
  restoreJson(json: string): string {
    if (this.originals.size === 0) return json;
    return replacePlaceholders(json, this.originals, (original) => JSON.stringify(original).slice(1, -1));
  }

  /** A restorer for one stream: deltas may split a placeholder anywhere. */
  streamRestorer(): StreamRestorer {
    return new StreamRestorer((text) => this.restore(text));
  }

  /** Restores the deltas of a stream; holds back only what could still become a placeholder. */
  async *restoreStream(events: AsyncIterable<ChatStreamEvent>): AsyncIterable<ChatStreamEvent> {
    const restorer = this.streamRestorer();
    for await (const event of events) {
      if (event.type === 'delta') {
        const text = restorer.push(event.text);
        if (text) yield { type: 'delta', text };
      } else {
        const rest = restorer.flush();
        if (rest) yield { type: 'delta', text: rest };
        yield event;
      }
    }
    const rest = restorer.flush();
    if (rest) yield { type: 'delta', text: rest };
  }
}

export class StreamRestorer {
  private pending = '';

  constructor(private readonly restore: (text: string) => string) {}

  /** Text that can be sent now; a trailing possible placeholder start is kept for the next delta. */
  push(delta: string): string {
    const text = this.pending + delta;
    // The shortest tail that could still grow into a placeholder (or into a longer one) waits.
    for (let start = Math.max(0, text.length - MAX_PLACEHOLDER); start < text.length; start++) {
      const tail = text.slice(start);
      const boundary = start === 0 || !/[A-Za-z0-9_]/.test(text[start - 1]!) || /^[[{]/.test(tail);
      if (boundary && couldBecomePlaceholder(tail)) {
        this.pending = tail;
        return this.restore(text.slice(0, start));
      }
    }
    this.pending = '';
    return this.restore(text);
  }

  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return this.restore(rest);
  }
}

function maskCard(digits: string): string {
  return `**** ${digits.slice(-4)}`;
}
