import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { conflict, unprocessable } from './problems';

export const LEAD_STATUSES = ['new', 'converted', 'dismissed'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const MAX_LEAD_NOTES_LENGTH = 10_000;
export const MAX_LEAD_FIELD_LENGTH = 200;

/** What a dispatcher or a contact form typed besides the notes; every field optional. */
export interface LeadFields {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  street?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

export const LEAD_TEXT_FIELDS = ['name', 'phone', 'email', 'street', 'city', 'region', 'postalCode', 'country'] as const;
export type LeadTextField = (typeof LEAD_TEXT_FIELDS)[number];
export type SuggestionField = LeadTextField | 'service';

/** One field the extraction read from the notes; `service` carries the catalog id it names. */
export interface LeadSuggestion {
  field: SuggestionField;
  value: string;
  confidence: number;
  serviceId?: string;
}

/** How the last extraction went (null before any): as a close-out's. */
export interface LeadExtraction {
  status: 'ok' | 'unavailable' | 'invalid';
  detail: string | null;
  provider: string | null;
  model: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** E.164, as customers stores phones; null when not a phone number. */
export function normalisedPhone(phone: string): string | null {
  const parsed = parsePhoneNumberFromString(phone.trim());
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** Trimmed notes of 1 to 10 000 characters (422 otherwise). */
export function leadNotes(notes: string): string {
  const text = notes.trim();
  if (!text || text.length > MAX_LEAD_NOTES_LENGTH) throw unprocessable('notes', `Lead notes are 1 to ${MAX_LEAD_NOTES_LENGTH} characters.`);
  return text;
}

/** Trimmed fields, blanks left out; a malformed email or phone is a 422 naming the field. */
export function cleanLeadFields(input: LeadFields, prefix = ''): LeadFields {
  const out: LeadFields = {};
  for (const key of LEAD_TEXT_FIELDS) {
    const value = input[key]?.trim();
    if (!value) continue;
    if (value.length > MAX_LEAD_FIELD_LENGTH) throw unprocessable(`${prefix}${key}`, `${key} is at most ${MAX_LEAD_FIELD_LENGTH} characters.`);
    if (key === 'email' && !EMAIL.test(value)) throw unprocessable(`${prefix}email`, `"${value.slice(0, 60)}" is not an email address.`);
    if (key === 'phone' && !normalisedPhone(value)) throw unprocessable(`${prefix}phone`, `"${value.slice(0, 60)}" is not a phone number in international format, e.g. +44 20 7946 0018.`);
    out[key] = key === 'email' ? value.toLowerCase() : key === 'phone' ? normalisedPhone(value)! : value;
  }
  return out;
}

/** What customers accepts on an address (checked here so a conversion fails before it writes): a 422 naming the field. */
export function assertAddressFields(fields: LeadFields): LeadFields {
  const limits = { city: 120, region: 120, postalCode: 20 } as const;
  for (const [key, max] of Object.entries(limits) as [keyof typeof limits, number][]) {
    if ((fields[key]?.length ?? 0) > max) throw unprocessable(key, `An address's ${key} is at most ${max} characters.`);
  }
  if (!fields.country) return fields;
  const country = fields.country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw unprocessable('country', `The country is a two-letter code such as GB, not "${fields.country.slice(0, 60)}".`);
  return { ...fields, country };
}

/** Only a new lead is converted or dismissed: 409 naming its status otherwise. */
export function assertLeadOpen(leadId: string, status: LeadStatus): void {
  if (status !== 'new') throw conflict(`lead-${status}`, `Lead ${leadId} is already ${status}.`, { currentStatus: status });
}

/**
 * The answer schema: each field a string or null, the service one of the catalog's names, and a
 * confidence per field. Flat strings so the offline provider's rules can read them too.
 */
export function leadExtractionSchema(serviceNames: readonly string[]): Record<string, unknown> {
  const text = { type: ['string', 'null'], maxLength: MAX_LEAD_FIELD_LENGTH };
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...Object.fromEntries(LEAD_TEXT_FIELDS.map((f) => [f, text])),
      service: serviceNames.length > 0 ? { type: ['string', 'null'], enum: [...serviceNames, null] } : { type: 'null' },
      confidence: { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } },
    },
  };
}

export type LeadExtractionAnswer = Partial<Record<SuggestionField, string | null>> & { confidence?: Record<string, number> };

const round = (n: number) => Math.round(n * 1000) / 1000;
const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * A valid answer as suggestions, in the fields' order. The model's own confidence when it gave
 * one; otherwise grounding: a value the notes state verbatim is likely right, one they do not
 * contain was inferred; rule-based (offline) values are capped lower.
 */
export function toLeadSuggestions(answer: LeadExtractionAnswer, notes: string, services: readonly { id: string; name: string }[], extractive: boolean): LeadSuggestion[] {
  const haystack = normalise(notes);
  const cap = extractive ? 0.7 : 0.95;
  const confidenceOf = (field: SuggestionField, value: string) => {
    const given = answer.confidence?.[field];
    if (typeof given === 'number' && given >= 0 && given <= 1) return round(given);
    return haystack.includes(normalise(value)) ? cap : Math.min(cap, 0.4);
  };
  const out: LeadSuggestion[] = [];
  for (const field of [...LEAD_TEXT_FIELDS, 'service'] as const) {
    const value = answer[field]?.trim();
    if (!value) continue;
    if (field === 'service') {
      const service = services.find((s) => s.name === value);
      if (service) out.push({ field, value: service.name, confidence: confidenceOf(field, value), serviceId: service.id });
    } else out.push({ field, value: value.slice(0, MAX_LEAD_FIELD_LENGTH), confidence: confidenceOf(field, value) });
  }
  return out;
}
