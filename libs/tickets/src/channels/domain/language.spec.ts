import { detectLanguage } from './language';

describe('detectLanguage', () => {
  it('names the language of a real message', () => {
    expect(detectLanguage('Olá! O aquecedor não liga desde ontem e a casa está muito fria.')).toBe('pt');
    expect(detectLanguage('Hallo, meine Heizung macht seit gestern ein klopfendes Geräusch.')).toBe('de');
    expect(detectLanguage('Hello, my boiler has been making a knocking noise since yesterday.')).toBe('en');
  });

  it('falls back to the provider’s hint for short text, and says nothing without one', () => {
    expect(detectLanguage('ok', 'pt-br')).toBe('pt');
    expect(detectLanguage('👍')).toBeNull();
    expect(detectLanguage('ok', 'not a tag!')).toBeNull();
  });
});
