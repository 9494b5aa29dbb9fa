import { canonicalLocale, localeChain, placeholderProblems, render, shippedTemplate, shippedUiStrings } from './message-templates';

describe('message templates', () => {
  it('walks the fallback chain: the locale, its language, then the tenant’s default and its language', () => {
    expect(localeChain('pt-BR', 'de-AT')).toEqual(['pt-BR', 'pt', 'de-AT', 'de']);
    expect(localeChain('pt_br', 'pt')).toEqual(['pt-BR', 'pt']);
    expect(localeChain(null, 'en')).toEqual(['en']);
    expect(localeChain('not a locale', null)).toEqual([]);
    expect(canonicalLocale('PT-br')).toBe('pt-BR');
  });

  it('takes the shipped default in the first locale of the chain that has one, else English', () => {
    expect(shippedTemplate('contact_form.confirmation', ['pt-BR', 'pt'])?.locale).toBe('pt');
    expect(shippedTemplate('contact_form.confirmation', ['fr-FR', 'fr'])?.locale).toBe('en');
    expect(shippedTemplate('nope', ['en'])).toBeUndefined();
    expect(shippedUiStrings(['de-AT', 'de'])['ui.contact_form.submit']).toBe('Senden');
  });

  it('checks placeholders against the key’s and renders them', () => {
    expect(placeholderProblems('Hi {{name}}, #{{ ticket_number }}', ['name', 'ticket_number'])).toEqual([]);
    expect(placeholderProblems('Hi {{nome}}', ['name'])).toEqual([expect.stringContaining('{{nome}} is not a placeholder')]);
    expect(placeholderProblems('Hi {{name}', ['name'])).toEqual([expect.stringContaining('is not a placeholder like {{name}}')]);
    expect(placeholderProblems('Hi }} there', ['name'])).toHaveLength(1);
    expect(render('Hi {{name}}, #{{ ticket_number }} {{missing}}.', { name: 'Kim', ticket_number: '7' })).toBe('Hi Kim, #7 .');
  });
});
