import { ProblemException } from '@switchboard/platform';
import { normaliseSlug, requestedSlug } from './slug';

describe('slugs', () => {
  it('normalises to lowercase ASCII words joined by single hyphens', () => {
    expect(normaliseSlug('  Réinitialiser   le mot de passe!! ')).toBe('reinitialiser-le-mot-de-passe');
    expect(normaliseSlug('Straße --- Ärger')).toBe('strasse-arger');
    expect(normaliseSlug("'; DROP TABLE kb_articles; --")).toBe('drop-table-kb-articles');
    expect(normaliseSlug('a'.repeat(300))).toHaveLength(120);
  });

  it('refuses a requested slug with nothing left', () => {
    expect(() => requestedSlug('🎉🎉')).toThrow(ProblemException);
    expect(requestedSlug('Hello World')).toBe('hello-world');
  });
});
