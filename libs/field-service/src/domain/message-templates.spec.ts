import { MESSAGE_KINDS } from './messages';
import { formattingLocale, formatWhen, formatWindow, MESSAGE_LANGUAGES, messageLanguage, renderMessage, type MessageVars } from './message-templates';

const vars: MessageVars = {
  customerName: 'Grete',
  company: 'Acme Heating',
  jobTitle: 'Boiler service',
  when: 'Tuesday, 8 December 2026 at 10:00',
  arrivalWindow: '10:00–12:00',
  address: '5 Main St, Springfield',
  timeZone: 'Europe/Vienna',
};

describe('message templates', () => {
  it('exist for every kind in every language and name the customer, company and job', () => {
    for (const language of MESSAGE_LANGUAGES) {
      for (const kind of MESSAGE_KINDS) {
        const { subject, text } = renderMessage(kind, language, vars);
        expect(subject).toContain('Acme Heating');
        expect(text).toContain('Grete');
        expect(text).toContain('Boiler service');
        expect(text).not.toContain('undefined');
        expect(text).not.toContain('null');
      }
    }
  });

  it('leave out the window and address lines when there are none', () => {
    const { text } = renderMessage('visit_reminder', 'en', { ...vars, arrivalWindow: null, address: null });
    expect(text).not.toMatch(/arrives between|Address:/);
  });

  it('pick the customer’s language, then the tenant’s, then English', () => {
    expect(messageLanguage('de-AT', 'fr')).toBe('de');
    expect(messageLanguage(null, 'fr-CA')).toBe('fr');
    expect(messageLanguage('ja', 'pt-BR')).toBe('en');
    expect(messageLanguage(undefined, undefined)).toBe('en');
    expect(formattingLocale('de', 'de-AT', 'en')).toBe('de-AT');
    expect(formattingLocale('fr', 'ja', 'fr-CA')).toBe('fr-CA');
    expect(formattingLocale('en', 'ja', 'zz-ZZZZZZZZZZ')).toBe('en');
  });

  it('format the visit time in the customer’s zone and locale', () => {
    const start = new Date('2026-12-08T09:00:00.000Z');
    expect(formatWhen(start, 'en-GB', 'Europe/Vienna')).toMatch(/^Tuesday,? 8 December 2026 at 10:00$/);
    expect(formatWhen(start, 'de-AT', 'Europe/Vienna')).toContain('10:00');
    expect(formatWindow(start, new Date('2026-12-08T11:00:00.000Z'), 'en-GB', 'America/New_York')).toBe('04:00–06:00');
  });
});
