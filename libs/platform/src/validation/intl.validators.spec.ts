import { IsOptional } from 'class-validator';
import { createValidationPipe } from '../http/validation';
import { canonicalLocaleTag, isCountryCode, isCurrencyCode, isTimeZone, IsCountryCode, IsCurrencyCode, IsLocale, IsTimeZone } from './intl.validators';

describe('standard code rules', () => {
  it('time zones: IANA names and their aliases, not made-up places, offsets or wrong case', () => {
    for (const zone of ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/UTC', 'Etc/GMT+5', 'GMT', 'US/Pacific', 'Asia/Calcutta', 'America/Port-au-Prince']) expect([zone, isTimeZone(zone)]).toEqual([zone, true]);
    for (const zone of ['Mars/Olympus', 'Nowhere/Land', 'CEST', '+05:00', 'europe/berlin', '', 'Europe/Berlin ', 'x'.repeat(65), 42]) expect([zone, isTimeZone(zone)]).toEqual([zone, false]);
  });

  it('locales: BCP 47 tags with an ISO 639 language, in canonical form', () => {
    expect(canonicalLocaleTag('en-gb')).toBe('en-GB');
    expect(canonicalLocaleTag('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(canonicalLocaleTag('es-419')).toBe('es-419');
    for (const tag of ['english', 'Mars', 'en_US!!', 'not a locale', '', 'e']) expect([tag, canonicalLocaleTag(tag)]).toEqual([tag, null]);
  });

  it('currencies: ISO 4217 codes in capitals', () => {
    expect(['EUR', 'USD', 'JPY', 'CHF'].every(isCurrencyCode)).toBe(true);
    expect(['eur', 'XYZ', 'euro', 'EU', 'ABC'].some(isCurrencyCode)).toBe(false);
  });

  it('countries: the 249 officially assigned ISO 3166-1 alpha-2 codes', () => {
    expect(['GB', 'US', 'DE', 'AX', 'SS', 'CW'].every(isCountryCode)).toBe(true);
    expect(['UK', 'EU', 'XK', 'ZZ', 'YU', 'gb', 'GBR', 'QQ'].some(isCountryCode)).toBe(false);
  });
});

class Profile {
  @IsOptional() @IsTimeZone() timezone?: string;
  @IsOptional() @IsLocale() locale?: string;
  @IsOptional() @IsCurrencyCode() currency?: string;
  @IsOptional() @IsCountryCode() country?: string;
}

describe('the decorators, through the validation pipe', () => {
  const pipe = createValidationPipe();
  const run = async (body: object) => {
    try {
      return { value: await pipe.transform(body, { type: 'body', metatype: Profile }) };
    } catch (error) {
      return { errors: (error as { problem: { errors: unknown[] } }).problem.errors };
    }
  };

  it('canonicalises a locale and upper-cases a country before checking', async () => {
    expect((await run({ locale: 'de-at', country: 'gb', timezone: 'Europe/Vienna', currency: 'EUR' })).value).toEqual(Object.assign(new Profile(), { locale: 'de-AT', country: 'GB', timezone: 'Europe/Vienna', currency: 'EUR' }));
  });

  it('names each field with its rule', async () => {
    expect((await run({ timezone: 'Mars/Olympus', locale: 'english', currency: 'XYZ', country: 'UK' })).errors).toEqual([
      { field: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin or UTC' },
      { field: 'locale', message: 'must be a BCP 47 language tag such as en, de-AT or pt-BR' },
      { field: 'currency', message: 'must be an ISO 4217 currency code such as EUR' },
      { field: 'country', message: 'must be an ISO 3166-1 alpha-2 country code such as GB' },
    ]);
  });
});
