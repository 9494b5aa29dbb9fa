import { CONTACT_ATTRIBUTE_KEYS, isContactAttributeKey, MAX_ATTRIBUTE_VALUE_LENGTH, type ContactAttributeKey } from '@switchboard/customers';
import { unprocessable } from './problems';

export const CLOSE_OUT_STATUSES = ['awaiting_confirmation', 'finalized'] as const;
export type CloseOutStatus = (typeof CLOSE_OUT_STATUSES)[number];
export const MAX_CLOSE_OUT_MINUTES = 24 * 60;
export const MAX_NOTES_LENGTH = 10_000;
export const MAX_REACH_OUT_MONTHS = 24;

/** One value the extraction read from the notes. */
export interface AttributeSuggestion {
  key: ContactAttributeKey;
  value: string;
  confidence: number;
}

/** How the extraction went: `unavailable` (provider down, over budget, not configured) and `invalid` (out of schema twice) leave no suggestions. */
export interface ExtractionOutcome {
  status: 'ok' | 'unavailable' | 'invalid';
  detail: string | null;
  provider: string | null;
  model: string | null;
}

export type AttributeAction = 'confirm' | 'edit' | 'drop';
export interface AttributeDecision {
  key: string;
  action: AttributeAction;
  value?: string;
}

/** A confirmed value with what the AI had suggested for its key. */
export interface ConfirmedAttribute {
  key: ContactAttributeKey;
  value: string;
  action: 'confirm' | 'edit';
  aiValue: string | null;
  aiConfidence: number | null;
}

export type NextActionInput =
  | { kind: 'schedule_visit'; start?: string; durationMinutes?: number; technicianId?: string | null }
  | { kind: 'reach_out'; inMonths?: number }
  | { kind: 'none' };

export type NextAction =
  | { kind: 'schedule_visit'; start: string; durationMinutes: number; technicianId: string | null }
  | { kind: 'reach_out'; inMonths: number }
  | { kind: 'none' };

/** The answer schema the model must follow: each known key optional, a value with a confidence. */
export function extractionSchema(): Record<string, unknown> {
  const entry = {
    type: ['object', 'null'],
    additionalProperties: false,
    required: ['value', 'confidence'],
    properties: { value: { type: 'string', minLength: 1, maxLength: MAX_ATTRIBUTE_VALUE_LENGTH }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
  };
  return { type: 'object', additionalProperties: false, properties: Object.fromEntries(CONTACT_ATTRIBUTE_KEYS.map((k) => [k, entry])) };
}

export type ExtractionAnswer = Partial<Record<ContactAttributeKey, { value: string; confidence: number } | null>>;

const round = (n: number) => Math.round(n * 1000) / 1000;

/** A valid answer as suggestions, in the keys' order, blank values left out. */
export function toSuggestions(answer: ExtractionAnswer): AttributeSuggestion[] {
  return CONTACT_ATTRIBUTE_KEYS.flatMap((key) => {
    const found = answer[key];
    const value = found?.value.trim();
    return found && value ? [{ key, value, confidence: round(found.confidence) }] : [];
  });
}

/**
 * The technician's decisions over the suggestions: confirm keeps the AI's value, edit replaces it
 * (or adds a key the AI missed), drop discards it; a suggestion not mentioned is dropped. Unknown
 * or repeated keys, an edit without a value and a confirm of nothing are 422s.
 */
export function decideAttributes(suggestions: readonly AttributeSuggestion[], decisions: readonly AttributeDecision[]): { confirmed: ConfirmedAttribute[]; dropped: ContactAttributeKey[] } {
  const seen = new Set<string>();
  const confirmed: ConfirmedAttribute[] = [];
  const dropped: ContactAttributeKey[] = [];
  decisions.forEach((d, i) => {
    const field = `attributes[${i}]`;
    if (!isContactAttributeKey(d.key)) throw unprocessable(`${field}.key`, `"${d.key.slice(0, 60)}" is not a contact attribute; the keys are ${CONTACT_ATTRIBUTE_KEYS.join(', ')}.`, 'unknown-attribute');
    if (seen.has(d.key)) throw unprocessable(`${field}.key`, `Attribute ${d.key} is decided twice.`);
    seen.add(d.key);
    const suggested = suggestions.find((s) => s.key === d.key);
    const ai = { aiValue: suggested?.value ?? null, aiConfidence: suggested?.confidence ?? null };
    if (d.action === 'drop') {
      if (suggested) dropped.push(d.key);
      return;
    }
    const value = d.action === 'confirm' ? (suggested?.value ?? d.value) : d.value;
    if (d.action === 'confirm' && suggested && d.value !== undefined && d.value.trim() !== suggested.value) {
      throw unprocessable(`${field}.value`, `Confirming ${d.key} keeps the suggested value; send action "edit" to change it.`);
    }
    const text = value?.trim();
    if (!text) throw unprocessable(`${field}.value`, d.action === 'edit' ? `Editing ${d.key} needs a value.` : `Nothing was suggested for ${d.key}; send a value with action "edit".`);
    if (text.length > MAX_ATTRIBUTE_VALUE_LENGTH) throw unprocessable(`${field}.value`, `An attribute value is at most ${MAX_ATTRIBUTE_VALUE_LENGTH} characters.`);
    confirmed.push({ key: d.key, value: text, action: d.action, ...ai });
  });
  for (const s of suggestions) if (!seen.has(s.key)) dropped.push(s.key);
  return { confirmed, dropped };
}

/** The next action's fields must fit its kind (422 naming the field otherwise). */
export function nextActionOf(input: NextActionInput): NextAction {
  switch (input.kind) {
    case 'schedule_visit':
      if (!input.start) throw unprocessable('nextAction.start', 'Scheduling a visit needs start (an ISO-8601 time).');
      if (input.durationMinutes === undefined) throw unprocessable('nextAction.durationMinutes', 'Scheduling a visit needs durationMinutes.');
      if ('inMonths' in input && input.inMonths !== undefined) throw unprocessable('nextAction.inMonths', 'inMonths belongs to reach_out, not schedule_visit.');
      return { kind: 'schedule_visit', start: input.start, durationMinutes: input.durationMinutes, technicianId: input.technicianId ?? null };
    case 'reach_out':
      if (input.inMonths === undefined) throw unprocessable('nextAction.inMonths', `Reaching out needs inMonths (1 to ${MAX_REACH_OUT_MONTHS}).`);
      if ('start' in input && (input as { start?: string }).start !== undefined) throw unprocessable('nextAction.start', 'start belongs to schedule_visit, not reach_out.');
      return { kind: 'reach_out', inMonths: input.inMonths };
    case 'none':
      if (Object.keys(input).some((k) => k !== 'kind' && (input as Record<string, unknown>)[k] !== undefined)) throw unprocessable('nextAction', 'The next action "none" takes no other fields.');
      return { kind: 'none' };
  }
}

/** The day `months` months after `from` (UTC), clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function dueOn(from: Date, months: number): string {
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(from.getUTCDate(), last))).toISOString().slice(0, 10);
}
