import type { ChatMessage, ChatRole } from '../chat/chat.port';
import type { RenderValue, TemplateContract } from './template-syntax';

/** The features whose prompts are templates (plain completions take the caller's messages). */
export const TEMPLATE_FEATURES = ['answer', 'draft', 'summary', 'triage', 'extraction'] as const;
export type TemplateFeature = (typeof TEMPLATE_FEATURES)[number];

export const isTemplateFeature = (value: string): value is TemplateFeature => (TEMPLATE_FEATURES as readonly string[]).includes(value);

/** A knowledge-base passage as a feature hands it over; `n` (for citations as [n]) is its 1-based position. */
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

/** The fixed contract between the features and their templates. */
export interface TemplateVariables {
  answer: { question: string; passages: (TemplatePassage | string)[]; locale: string };
  draft: { subject: string; conversation: Conversation; passages: (TemplatePassage | string)[] };
  summary: { subject: string; conversation: Conversation };
  triage: { subject: string; conversation: Conversation; priorities: string[]; tags: string[] };
  extraction: { schema: Record<string, unknown> | string; text: string };
}

/** A template is an ordered list of messages whose contents are templates. */
export interface TemplateMessage {
  role: ChatRole;
  content: string;
}

const TEXT = { kind: 'text' } as const;
const LIST = { kind: 'list' } as const;
const PASSAGES = { kind: 'records', fields: ['n', 'title', 'text', 'url'] } as const;

export const CONTRACTS: Record<TemplateFeature, TemplateContract> = {
  answer: { question: TEXT, passages: PASSAGES, locale: TEXT },
  draft: { subject: TEXT, conversation: TEXT, passages: PASSAGES },
  summary: { subject: TEXT, conversation: TEXT },
  triage: { subject: TEXT, conversation: TEXT, priorities: LIST, tags: LIST },
  extraction: { schema: TEXT, text: TEXT },
};

/** Which version the shipped defaults are; a tenant's own versions continue after it. */
export const DEFAULT_TEMPLATE_VERSION = 1;

const PASSAGE_BLOCK = `Knowledge-base passages:
{{#passages}}
[{{n}}]{{#title}} {{title}}{{/title}}
{{text}}

{{/passages}}
{{^passages}}
(no passages were found)
{{/passages}}`;

/**
 * The shipped prompts. The local offline provider reads the last user message as the question
 * (answer) or the ticket (triage, draft), so facts and the ask are kept in separate messages.
 */
export const DEFAULT_TEMPLATES: Record<TemplateFeature, TemplateMessage[]> = {
  answer: [
    {
      role: 'system',
      content: `You are the support assistant of a help desk. Answer the question using only the numbered knowledge-base passages you are given.
- Support every statement with the number of the passage it comes from, in square brackets: [1], or [2][3] for several.
- If the passages do not answer the question, reply with exactly NOT_FOUND and nothing else (the help desk then says the knowledge base does not cover it). Do not guess and do not answer from general knowledge.
- Never invent product names, prices, policies, links or steps that the passages do not state.
- Be concise: a few sentences, or short numbered steps for a procedure.
{{#locale}}- Answer in the language of the locale "{{locale}}".{{/locale}}{{^locale}}- Answer in the language of the question.{{/locale}}`,
    },
    { role: 'user', content: PASSAGE_BLOCK },
    { role: 'user', content: 'Question: {{question}}' },
  ],
  draft: [
    {
      role: 'system',
      content: `You write reply drafts for help-desk agents; an agent reviews and edits every draft before it is sent.
- Reply to the customer's latest message, in the customer's language, friendly and professional, without filler.
- Ground the reply in the conversation and the knowledge-base passages only. Never invent facts, order details, dates, prices, policies or promises.
- Where the reply needs information you do not have, leave a short note in double angle brackets for the agent, such as <<confirm the delivery date>>.
- Do not cite passage numbers in the reply and do not add a subject line or a signature; the help desk adds them.`,
    },
    { role: 'user', content: PASSAGE_BLOCK },
    { role: 'user', content: 'Subject: {{subject}}\n\nConversation, oldest first:\n{{conversation}}\n\nWrite the reply draft.' },
  ],
  summary: [
    {
      role: 'system',
      content: `You summarise help-desk conversations for the agent who picks the ticket up next.
- Write 2 to 5 short bullet points: the customer's problem, what has been tried, answered or promised, and what is still open.
- End with one line that starts with "Next step:".
- Use only what the conversation states; do not speculate. Write in the language of the conversation.`,
    },
    { role: 'user', content: 'Subject: {{subject}}\n\nConversation, oldest first:\n{{conversation}}' },
  ],
  triage: [
    {
      role: 'system',
      content: `You triage incoming help-desk tickets.
- Choose exactly one priority from (lowest first): {{priorities}}. Urgent means a service is down or there is danger; high means the customer is blocked.
{{#tags}}
- Choose up to five tags. Prefer the tags this help desk already uses: {{tags}}. Propose a new tag only when none fits.
{{/tags}}
{{^tags}}
- This help desk has no tags yet: propose up to five short lowercase tags (letters, digits, _, - or :), or none.
{{/tags}}
- Decide from the ticket's content only; urgency words alone do not make a ticket urgent.
- Give each choice a confidence between 0 and 1 saying how sure you are; use a low confidence when the ticket says little.
- Answer with one JSON object: {"priority": {"value": "<one of the priorities>", "confidence": 0.0}, "tags": [{"value": "<tag>", "confidence": 0.0}]}.`,
    },
    { role: 'user', content: 'Subject: {{subject}}\n\n{{conversation}}' },
  ],
  extraction: [
    {
      role: 'system',
      content: `Extract the requested fields from the user text. Answer with one JSON object that matches the schema exactly. Use null (or leave a field out) when the text does not state a value; never invent one.

The fields, as a JSON schema:
{{schema}}`,
    },
    { role: 'user', content: '{{text}}' },
  ],
};

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
 * passages numbered, conversations as text, the extraction schema as indented JSON.
 * Missing or unexpected variables are errors: they are a caller's bug, not a template choice.
 */
export function normalizeVariables(feature: TemplateFeature, variables: Record<string, unknown>): Record<string, RenderValue> {
  const contract = CONTRACTS[feature];
  const errors: TemplateVariablesError['errors'] = [];
  for (const name of Object.keys(variables)) if (!(name in contract)) errors.push({ field: name, message: `is not a variable of ${feature} (known: ${Object.keys(contract).join(', ')})` });
  const out: Record<string, RenderValue> = {};
  for (const [name, shape] of Object.entries(contract)) {
    const value = variables[name];
    if (value === undefined || value === null) {
      errors.push({ field: name, message: 'is missing' });
      continue;
    }
    if (name === 'conversation') out[name] = conversationText(value, name, errors);
    else if (name === 'schema') out[name] = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    else if (shape.kind === 'text') {
      const s = str(value);
      if (s === null) errors.push({ field: name, message: 'must be a string' });
      else out[name] = s;
    } else if (shape.kind === 'list') {
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
