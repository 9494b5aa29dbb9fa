import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Shared rules for the standard codes a request may carry, each backed by the runtime's own
 * tables where they exist (ICU via Intl), so every DTO accepts and refuses the same values.
 */

const ZONES = new Set(Intl.supportedValuesOf('timeZone'));
/** Names ICU knows besides its canonical list: UTC, Etc/*, and the IANA "backward" links (US/Pacific, Asia/Calcutta). */
const ZONE_SHAPE = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/;
const knownAliases = new Set<string>();

/** An IANA time zone name as written in the database (case included): canonical, `UTC`, `Etc/GMT+5`, or a backward link. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64) return false;
  if (ZONES.has(value) || knownAliases.has(value)) return true;
  // Offsets ("+05:00") and wrong case ("europe/berlin") are not names, though ICU may take them.
  if (!ZONE_SHAPE.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    return false;
  }
  if (knownAliases.size < 1000) knownAliases.add(value);
  return true;
}

/** The canonical BCP 47 form of a language tag with an ISO 639 language (`en-gb` → `en-GB`), or null. */
export function canonicalLocaleTag(value: unknown): string | null {
  if (typeof value !== 'string' || value.length < 2 || value.length > 35) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    // 5–8 letter "languages" (Mars → mars) are well-formed but not what anyone means.
    return canonical && /^[a-z]{2,3}(-|$)/.test(canonical) ? canonical : null;
  } catch {
    return null;
  }
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code in capitals (EUR), as ICU knows them. */
export const isCurrencyCode = (value: unknown): value is string => typeof value === 'string' && CURRENCIES.has(value);

/** ISO 3166-1 alpha-2, officially assigned codes (ICU's region names also hold EU, UN, XK and withdrawn codes). */
const COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
    'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
    'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO ' +
    'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW ' +
    'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM ' +
    'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

export const isCountryCode = (value: unknown): value is string => typeof value === 'string' && COUNTRIES.has(value);

/** `@IsTimeZone()`: an IANA time zone name (see isTimeZone). */
export const IsTimeZone = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isTimeZone', validator: { validate: isTimeZone, defaultMessage: () => 'must be an IANA time zone such as Europe/Berlin or UTC' } }, options);

/** `@IsLocale()`: a BCP 47 language tag, stored in its canonical form (`en-gb` becomes `en-GB`). */
export const IsLocale = (options?: ValidationOptions) =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => canonicalLocaleTag(value) ?? value),
    ValidateBy({ name: 'isLocale', validator: { validate: (v) => canonicalLocaleTag(v) === v, defaultMessage: () => 'must be a BCP 47 language tag such as en, de-AT or pt-BR' } }, options),
  );

/** `@IsCurrencyCode()`: an ISO 4217 code in capitals. */
export const IsCurrencyCode = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isCurrencyCode', validator: { validate: isCurrencyCode, defaultMessage: () => 'must be an ISO 4217 currency code such as EUR' } }, options);

/** `@IsCountryCode()`: an ISO 3166-1 alpha-2 code, upper-cased first (`gb` is GB). */
export const IsCountryCode = (options?: ValidationOptions) =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value)),
    ValidateBy({ name: 'isCountryCode', validator: { validate: isCountryCode, defaultMessage: () => 'must be an ISO 3166-1 alpha-2 country code such as GB' } }, options),
  );
