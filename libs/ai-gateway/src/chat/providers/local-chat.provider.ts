import { OFFLINE_STYLES, type CallOptions, type ChatProvider, type ChatRequest, type ChatResult, type ChatStreamEvent, type OfflineStyle, type StructuredRequest } from '../chat.port';
import { countTokens } from '../tokens';

export const LOCAL_MODEL = 'local-extractive-1';
/** Every local answer says what it is: no language model wrote it. */
export const LOCAL_MARKER = '[offline extractive answer — no language model was used]';

const STOP = new Set('a an and are as at be but by for from has have how i if in is it its my of on or our please so that the this to was we what when where which who why will with you your can do does not'.split(' '));

const TRIAGE_RULES: { category: string; priority: 'low' | 'normal' | 'high' | 'urgent'; words: string[] }[] = [
  { category: 'outage', priority: 'urgent', words: ['down', 'outage', 'not working', 'broken', 'emergency', 'urgent', 'leak', 'flood', 'fire'] },
  { category: 'billing', priority: 'normal', words: ['invoice', 'refund', 'charge', 'charged', 'payment', 'bill', 'price', 'subscription'] },
  { category: 'access', priority: 'high', words: ['password', 'login', 'log in', 'locked', 'account', 'sign in', '2fa'] },
  { category: 'scheduling', priority: 'normal', words: ['appointment', 'schedule', 'reschedule', 'visit', 'technician', 'booking'] },
  { category: 'feedback', priority: 'low', words: ['thanks', 'thank you', 'great', 'suggestion', 'feature'] },
];

/** The request's offline style: the one its feature chose, else a feature named like a style (direct callers). */
const styleOf = (request: ChatRequest): OfflineStyle | null =>
  request.offline ?? ((OFFLINE_STYLES as readonly string[]).includes(request.feature ?? '') ? (request.feature as OfflineStyle) : null);

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Sentences of `source` ranked by overlap with `query`'s content words, in original order. */
function bestSentences(source: string, query: string, max: number): string[] {
  const sentences = source.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter((s) => s.length > 0);
  const terms = new Set(words(query).filter((w) => !STOP.has(w)));
  const scored = sentences.map((s, i) => ({ s, i, score: words(s).filter((w) => terms.has(w)).length }));
  return scored
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.s);
}

/**
 * The offline provider: no network, no model. Drafts come from a template, triage from keyword
 * rules, summaries and answers are extractive (the most relevant sentences of the input), and
 * extraction follows simple rules per field name and type. Every output carries LOCAL_MARKER.
 */
export class LocalChatProvider implements ChatProvider {
  readonly kind = 'local' as const;

  async complete(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    options.signal?.throwIfAborted();
    const text = `${LOCAL_MARKER}\n${this.answer(request)}`;
    return { text, model: LOCAL_MODEL, usage: { promptTokens: countTokens(request.messages.map((m) => m.content).join('\n')), completionTokens: countTokens(text) }, finishReason: 'stop', extractive: true };
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatStreamEvent> {
    const result = await this.complete(request, options);
    for (const piece of result.text.match(/\S+\s*/g) ?? []) {
      options.signal?.throwIfAborted();
      yield { type: 'delta', text: piece };
    }
    yield { type: 'done', usage: result.usage, finishReason: 'stop', model: LOCAL_MODEL, extractive: true };
  }

  async structured(request: StructuredRequest, options: CallOptions = {}): Promise<ChatResult> {
    options.signal?.throwIfAborted();
    const source = request.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    const text = JSON.stringify(styleOf(request) === 'triage' ? triageBySchema(request.schema, source) : extractByRules(request.schema, source));
    return { text, model: LOCAL_MODEL, usage: { promptTokens: countTokens(source), completionTokens: countTokens(text) }, finishReason: 'stop', extractive: true };
  }

  private answer(request: ChatRequest): string {
    const user = request.messages.filter((m) => m.role === 'user').map((m) => m.content);
    const last = user.at(-1) ?? '';
    switch (styleOf(request)) {
      case 'triage':
        return JSON.stringify(triage(last));
      case 'answer':
        return answerFromPassages(user.join('\n\n')) ?? this.answer({ ...request, feature: undefined, offline: undefined });
      case 'draft':
        return draftReply(user.slice(0, -1), last);
      case 'summary':
        return summarise(last);
      default: {
        const context = user.slice(0, -1).join('\n') || last;
        const picked = bestSentences(context, last, 3);
        return picked.length > 0 ? picked.join(' ') : 'No passage of the given text answers this.';
      }
    }
  }
}

/** The `[n] title` header lines of a prompt and the text lines under each (what the shipped templates write). */
function passageBlocks(text: string): { n: number; title: string; lines: string[] }[] {
  const passages: { n: number; title: string; lines: string[] }[] = [];
  for (const line of text.split('\n')) {
    const header = /^\[(\d{1,4})\](?:\s+(.*))?$/.exec(line.trim());
    if (header) passages.push({ n: Number(header[1]), title: header[2]?.trim() ?? '', lines: [] });
    else if (passages.length > 0 && line.trim()) passages.at(-1)!.lines.push(line.trim());
  }
  return passages;
}

const stem = (w: string) => (w.length > 4 ? w.replace(/(ing|ed|es|s)$/, '') : w);

/**
 * The offline `answer`: the prompt's numbered passages (`[n] title` header lines, then text) and
 * the text after its last `Question:`. The sentences sharing most words with the question, at
 * most three, in passage order, each followed by its passage's `[n]`; when none shares a word,
 * the opening of passage 1 (retrieval ranked it first). Null when the prompt has no passages.
 */
export function answerFromPassages(prompt: string): string | null {
  const at = prompt.lastIndexOf('Question:');
  const question = at >= 0 ? prompt.slice(at + 'Question:'.length).trim() : '';
  const passages = passageBlocks(at >= 0 ? prompt.slice(0, at) : prompt);
  if (passages.length === 0) return null;
  const terms = new Set(words(question).filter((w) => !STOP.has(w)).map(stem));
  const sentences = passages.flatMap((p, pi) =>
    p.lines
      .flatMap((line) => line.split(/(?<=[.!])\s+(?=\p{Lu}|\d)/u))
      .map((text, i) => ({ n: p.n, pi, i, text, score: new Set(words(text).map(stem).filter((w) => terms.has(w))).size })),
  );
  let picked = sentences
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.pi - b.pi || a.i - b.i)
    .slice(0, 3);
  if (picked.length === 0) picked = sentences.filter((x) => x.pi === 0).slice(0, 2);
  picked.sort((a, b) => a.pi - b.pi || a.i - b.i);
  return picked.map((x) => `${x.text.replace(/\s*$/, '')} [${x.n}]`).join(' ');
}

function summaryLine(text: string): string {
  const first = bestSentences(text, text, 1)[0];
  return first ? ` about: "${first.slice(0, 160)}"` : '';
}

/**
 * An offline reply: thanks, then the numbered knowledge-base passages (`[n] title` blocks in the
 * user messages before the last) quoted where they share words with the conversation (the last).
 */
function draftReply(passages: string[], conversation: string): string {
  const quotes: string[] = [];
  for (const passage of passageBlocks(passages.join('\n\n'))) {
    const title = passage.title || 'our help center';
    const best = bestSentences(passage.lines.join('\n'), conversation, 2);
    if (best.length > 0) quotes.push(`From "${title}":\n> ${best.join(' ')}`);
    if (quotes.length === 3) break;
  }
  const subject = /^\s*subject:\s*(.+)$/im.exec(conversation)?.[1]?.trim();
  const intro = `Hello,\n\nThank you for getting in touch. We have received your message${subject ? ` about "${subject.slice(0, 160)}"` : summaryLine(conversation)}.`;
  const body =
    quotes.length > 0
      ? `This is what our help center says about it:\n\n${quotes.join('\n\n')}\n\nIf that does not solve it, reply to this message and we will take it from there.`
      : 'A member of our team is looking into it and will get back to you as soon as we can.';
  return `${intro}\n\n${body}\n\nKind regards`;
}

/** The sentences that share the most words with the whole text, plus what was said last. */
function summarise(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  const key = bestSentences(text, text, 3);
  const last = lines.at(-1)?.trim();
  const bullets = key.map((s) => `- ${s.slice(0, 300)}`);
  if (last && !key.some((s) => last.includes(s))) bullets.push(`- Latest: ${last.slice(0, 300)}`);
  return bullets.length > 0 ? bullets.join('\n') : 'The ticket has no conversation to summarise yet.';
}

/**
 * Triage into the shape the schema asks for ({ priority: {value, confidence}, tags: [{value,
 * confidence}] }): the keyword rules decide the priority and a category tag; known tags (the
 * schema's `examples` for tag values) are proposed when the text names them. Confidence grows
 * with the number of matched keywords but stays below what a model may claim: rules are brittle.
 */
export function triageBySchema(schema: Record<string, unknown>, text: string): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, { properties?: Record<string, { enum?: unknown[] }>; items?: { properties?: Record<string, { examples?: unknown[] }> } }>;
  const allowed = (props.priority?.properties?.value?.enum ?? ['low', 'normal', 'high', 'urgent']).filter((v): v is string => typeof v === 'string');
  const known = (props.tags?.items?.properties?.value?.examples ?? []).filter((v): v is string => typeof v === 'string');
  const found = triage(text);
  const matched = found.matched.length;
  const priority = allowed.includes(found.priority) ? found.priority : allowed.includes('normal') ? 'normal' : (allowed[0] ?? 'normal');
  const confidence = matched === 0 ? 0.3 : matched === 1 ? 0.55 : 0.7;
  const lower = text.toLowerCase();
  const tags = new Map<string, number>();
  if (found.category !== 'general') tags.set(found.category, known.includes(found.category) ? 0.65 : 0.5);
  for (const tag of known) {
    const phrase = tag.replace(/[_:-]+/g, ' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!tags.has(tag) && new RegExp(`\\b${phrase.replace(/ /g, '[\\s_:-]+')}\\b`, 'i').test(lower)) tags.set(tag, 0.6);
  }
  const answer: Record<string, unknown> = { priority: { value: priority, confidence }, tags: [...tags].slice(0, 5).map(([value, c]) => ({ value, confidence: c })) };
  const groups = ((props.group?.properties?.value as { enum?: unknown[] } | undefined)?.enum ?? []).filter((v): v is string => typeof v === 'string');
  if (props.group) answer.group = groupByWords(groups, found.category, lower);
  return answer;
}

/** A group whose name names the ticket's category or a word of the ticket ("Billing" for an invoice question); else none. */
function groupByWords(groups: string[], category: string, lower: string): { value: string | null; confidence: number } {
  const text = new Set(words(lower).map(stem));
  const scored = groups
    .map((name) => {
      const nameWords = words(name).map(stem);
      const score = (nameWords.includes(stem(category)) ? 2 : 0) + nameWords.filter((w) => w.length > 2 && text.has(w)).length;
      return { name, score };
    })
    .filter((g) => g.score > 0)
    .sort((a, b) => b.score - a.score);
  return scored[0] ? { value: scored[0].name, confidence: scored[0].score >= 2 ? 0.6 : 0.45 } : { value: null, confidence: 0.3 };
}

export function triage(text: string): { category: string; priority: string; matched: string[] } {
  const lower = ` ${text.toLowerCase()} `;
  let best = { category: 'general', priority: 'normal', matched: [] as string[] };
  for (const rule of TRIAGE_RULES) {
    const matched = rule.words.filter((w) => new RegExp(`\\b${w.replace(/ /g, '\\s+')}\\b`).test(lower));
    if (matched.length > best.matched.length) best = { category: rule.category, priority: rule.priority, matched };
  }
  return best;
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;
const PHONE = /\+?\d[\d\s().-]{6,}\d/;
const DATE = /\b\d{4}-\d{2}-\d{2}\b/;

/** Rule-based extraction: `name: value` lines, then type-specific patterns near the field name. */
export function extractByRules(schema: Record<string, unknown>, text: string): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, { type?: string | string[]; enum?: unknown[]; format?: string }>;
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(properties)) {
    const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type;
    const label = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
    const line = new RegExp(`(?:^|\\n)\\s*${label.replace(/ /g, '[\\s_-]*')}\\s*[:=]\\s*([^\\n]+)`, 'i').exec(text)?.[1]?.trim();
    const near = new RegExp(`${label.replace(/ /g, '[\\s_-]*')}[^\\n]{0,40}`, 'i').exec(text)?.[0] ?? '';
    let value: unknown;
    if (prop.enum) value = prop.enum.find((option) => typeof option === 'string' && new RegExp(`\\b${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(line ?? text));
    else if (type === 'number' || type === 'integer') {
      const m = /-?\d+(?:[.,]\d+)?/.exec(line ?? near);
      if (m) value = type === 'integer' ? Math.round(Number(m[0].replace(',', '.'))) : Number(m[0].replace(',', '.'));
    } else if (type === 'boolean') {
      const v = (line ?? near).toLowerCase();
      if (/\b(yes|true|done|completed|y)\b/.test(v)) value = true;
      else if (/\b(no|false|not|n)\b/.test(v)) value = false;
    } else if (type === 'string') {
      if (prop.format === 'email' || /e-?mail/.test(label)) value = EMAIL.exec(line ?? text)?.[0];
      else if (/phone|mobile|tel/.test(label)) value = PHONE.exec(line ?? text)?.[0]?.trim();
      else if (prop.format === 'date' || /date/.test(label)) value = DATE.exec(line ?? text)?.[0];
      else value = line;
    }
    if (value !== undefined) out[name] = value;
  }
  return out;
}
