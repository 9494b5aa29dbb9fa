import { queryLocale } from './query-language';

describe('queryLocale', () => {
  const locales = ['en', 'de-DE', 'fr'];

  it("searches the tenant's locale of the query's language when it writes in several", () => {
    expect(queryLocale('Wie kann ich mein Passwort zurücksetzen?', locales)).toBe('de-DE');
    expect(queryLocale('Comment réinitialiser mon mot de passe ?', locales)).toBe('fr');
    expect(queryLocale('How do I reset my password?', locales)).toBe('en');
  });

  it('leaves the query to every article when there is nothing to choose or too little to tell', () => {
    expect(queryLocale('Wie kann ich mein Passwort zurücksetzen?', ['en'])).toBeNull();
    expect(queryLocale('¿Cómo restablezco mi contraseña de la aplicación?', locales)).toBeNull();
    expect(queryLocale('Passwort', locales)).toBeNull();
    expect(queryLocale('Wie kann ich mein Passwort zurücksetzen?', ['en', 'de-DE', 'de-AT'])).toBeNull();
  });
});
