import { ProblemException } from '@switchboard/platform';

/**
 * What a contact's attributes may say: a fixed set of keys, so field service's extraction, the
 * technician's confirmation and contact search all speak of the same things. Values are text.
 */
export const CONTACT_ATTRIBUTE_KEYS = ['pets', 'gate_code', 'access_notes', 'parking', 'equipment_needed', 'service_preferences', 'property_details'] as const;
export type ContactAttributeKey = (typeof CONTACT_ATTRIBUTE_KEYS)[number];
export const MAX_ATTRIBUTE_VALUE_LENGTH = 500;

export const isContactAttributeKey = (key: string): key is ContactAttributeKey => (CONTACT_ATTRIBUTE_KEYS as readonly string[]).includes(key);

/** 422 naming the keys that exist, for a key outside the set. */
export function assertAttributeKey(key: string, field = 'key'): asserts key is ContactAttributeKey {
  if (!isContactAttributeKey(key)) {
    const detail = `"${key.slice(0, 60)}" is not a contact attribute; the keys are ${CONTACT_ATTRIBUTE_KEYS.join(', ')}.`;
    throw new ProblemException({ status: 422, type: 'unknown-attribute', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });
  }
}

/** Trimmed, 1 to 500 characters (422 otherwise). */
export function attributeValue(value: string, field = 'value'): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
    const detail = `An attribute value is 1 to ${MAX_ATTRIBUTE_VALUE_LENGTH} characters (got ${trimmed.length}).`;
    throw new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });
  }
  return trimmed;
}
