import { ProblemException, type FieldError } from '@switchboard/platform';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export const CHANNELS = ['telegram', 'whatsapp', 'external'] as const;
export type Channel = (typeof CHANNELS)[number];
export type IdentityKind = 'email' | 'phone' | Channel;

export interface Identity {
  kind: IdentityKind;
  value: string;
}

export interface IdentityInput {
  emails?: string[];
  phones?: string[];
  channelIdentities?: { channel: Channel; externalId: string }[];
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * E.164, so "+44 20 7946 0018" and "+442079460018" are one contact. With a default country a
 * national form ("020 7946 0018" in GB) is read as that country's number too.
 */
export function normalisePhone(phone: string, defaultCountry?: string): string | null {
  const parsed = parsePhoneNumberFromString(phone.trim(), defaultCountry ? { defaultCountry: defaultCountry as CountryCode } : undefined);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** The country a locale most likely means (`en-GB` → GB, `de` → DE, `en` → US), for reading national phone numbers. */
export function countryOfLocale(locale: string): string | null {
  try {
    return new Intl.Locale(locale).maximize().region ?? null;
  } catch {
    return null;
  }
}

/** Normalised, de-duplicated identities, or a 400 naming each value that is not one. */
export function toIdentities(input: IdentityInput): Identity[] {
  const errors: FieldError[] = [];
  const identities = new Map<string, Identity>();
  const add = (identity: Identity) => identities.set(`${identity.kind}:${identity.value}`, identity);
  (input.emails ?? []).forEach((email) => add({ kind: 'email', value: normaliseEmail(email) }));
  (input.phones ?? []).forEach((phone, i) => {
    const value = normalisePhone(phone);
    if (value) add({ kind: 'phone', value });
    else errors.push({ field: `phones.${i}`, message: 'must be a valid phone number in international format, e.g. +44 20 7946 0018' });
  });
  (input.channelIdentities ?? []).forEach((c) => add({ kind: c.channel, value: c.externalId.trim() }));
  if (errors.length > 0) {
    throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors });
  }
  return [...identities.values()];
}

/** The API's shape: emails, phones and chat identities as separate lists. */
export function splitIdentities(identities: Identity[]): Required<IdentityInput> {
  return {
    emails: identities.filter((i) => i.kind === 'email').map((i) => i.value).sort(),
    phones: identities.filter((i) => i.kind === 'phone').map((i) => i.value).sort(),
    channelIdentities: identities
      .filter((i): i is Identity & { kind: Channel } => (CHANNELS as readonly string[]).includes(i.kind))
      .map((i) => ({ channel: i.kind, externalId: i.value }))
      .sort((a, b) => `${a.channel}:${a.externalId}`.localeCompare(`${b.channel}:${b.externalId}`)),
  };
}
