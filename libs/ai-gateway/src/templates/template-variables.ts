import type { ChatMessage, ChatRole } from '../chat/chat.port';
import type { RenderValue, TemplateContract } from './template-syntax';

/**
 * The kinds of variable a feature hands its templates, and how each reaches the template:
 * - `text`: a string (numbers and booleans are written as text);
 * - `list`: strings, for `{{#list}}{{.}}{{/list}}` or `{{list}}` (comma-separated);
 * - `passages`: knowledge passages (`{ title, text, url }` or strings), seen as records
 *   `n, title, text, url` where `n` is the 1-based position, for `[n]` citations;
 * - `conversation`: a string, or messages `{ author | role, text, at }` written one per paragraph;
 * - `json`: an object written as indented JSON (or a string taken as is).
 */
export type TemplateVariable = { readonly kind: 'text' } | { readonly kind: 'list' } | { readonly kind: 'passages' } | { readonly kind: 'conversation' } | { readonly kind: 'json' };

export const variable = {
  text: { kind: 'text' },
  list: { kind: 'list' },
  passages: { kind: 'passages' },
  conversation: { kind: 'conversation' },
  json: { kind: 'json' },
} as const satisfies Record<string, TemplateVariable>;

/** A feature's fixed contract with its templates: the variables it passes, by name. */
export type FeatureContract = Readonly<Record<string, TemplateVariable>>;

/** A passage as a feature hands it over; `n` (for citations as [n]) is its 1-based position. */
export interface TemplatePassage {
  title?: string | null;
  text: string;
  url?: string | null;
}

/** One message of a conversation; a string conversation is taken as already formatted. */
export interface ConversationEntry {
  author?: string | null;
  role?: string | null;
  text: string;
  at?: string | null;
}

export type Conversation = string | ConversationEntry[];

/** A template is an ordered list of messages whose contents are templates. */
export interface TemplateMessage {
  role: ChatRole;
  content: string;
}

/** Which version the shipped defaults are; a tenant's own versions continue after it. */
export const DEFAULT_TEMPLATE_VERSION = 1;

const PASSAGE_FIELDS = ['n', 'title', 'text', 'url'] as const;

/** What the template checker sees of a contract: texts, lists of texts, and records. */
export function templateShapes(contract: FeatureContract): TemplateContract {
  return Object.fromEntries(
    Object.entries(contract).map(([name, v]) => [name, v.kind === 'list' ? { kind: 'list' } : v.kind === 'passages' ? { kind: 'records', fields: PASSAGE_FIELDS } : { kind: 'text' }]),
  );
}

export class TemplateVariablesError extends Error {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

function conversationText(value: unknown, field: string, errors: TemplateVariablesError['errors']): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) {
    errors.push({ field, message: 'must be a string or a list of { author, text }' });
    return '';
  }
  return value
    .map((entry, i) => {
      if (typeof entry === 'string') return entry;
      const text = str((entry as ConversationEntry | null)?.text);
      if (text === null) {
        errors.push({ field: `${field}[${i}].text`, message: 'must be a string' });
        return '';
      }
      const e = entry as ConversationEntry;
      const who = str(e.author) ?? str(e.role);
      const at = str(e.at);
      return `${who ?? 'Unknown'}${at ? ` (${at})` : ''}: ${text}`;
    })
    .join('\n\n');
}

/**
 * Checks a feature's variables against its contract and turns them into what templates see:
 * passages numbered, conversations as text, JSON indented. Missing or unexpected variables are
 * errors: they are a caller's bug, not a template choice.
 */
export function normalizeVariables(feature: string, contract: FeatureContract, variables: Record<string, unknown>): Record<string, RenderValue> {
  const errors: TemplateVariablesError['errors'] = [];
  for (const name of Object.keys(variables)) if (!(name in contract)) errors.push({ field: name, message: `is not a variable of ${feature} (known: ${Object.keys(contract).join(', ')})` });
  const out: Record<string, RenderValue> = {};
  for (const [name, { kind }] of Object.entries(contract)) {
    const value = variables[name];
    if (value === undefined || value === null) {
      errors.push({ field: name, message: 'is missing' });
      continue;
    }
    if (kind === 'conversation') out[name] = conversationText(value, name, errors);
    else if (kind === 'json') out[name] = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    else if (kind === 'text') {
      const s = str(value);
      if (s === null) errors.push({ field: name, message: 'must be a string' });
      else out[name] = s;
    } else if (kind === 'list') {
      if (!Array.isArray(value) || value.some((v) => str(v) === null)) errors.push({ field: name, message: 'must be a list of strings' });
      else out[name] = value.map((v) => str(v)!);
    } else {
      if (!Array.isArray(value)) {
        errors.push({ field: name, message: 'must be a list of passages ({ title, text, url } or strings)' });
        continue;
      }
      out[name] = value.map((p, i) => {
        const passage = typeof p === 'string' ? { text: p } : (p as TemplatePassage | null);
        const text = str(passage?.text);
        if (text === null) errors.push({ field: `${name}[${i}].text`, message: 'must be a string' });
        return { n: String(i + 1), title: str(passage?.title) ?? '', text: text ?? '', url: str(passage?.url) ?? '' };
      });
    }
  }
  if (errors.length > 0) throw new TemplateVariablesError(errors);
  return out;
}

export function toChatMessages(messages: { role: ChatRole; content: string }[]): ChatMessage[] {
  // Empty messages (a section that rendered nothing) would be rejected by some providers.
  return messages.filter((m) => m.content.trim().length > 0).map((m) => ({ role: m.role, content: m.content }));
}
