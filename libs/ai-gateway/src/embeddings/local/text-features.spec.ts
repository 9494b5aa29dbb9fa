import { addHashedNgrams, charNgrams, hashString, normalizeRange, splitCompound, tokenize } from './text-features';

describe('tokenize', () => {
  it('lower-cases and splits on punctuation and whitespace', () => {
    expect(tokenize('Reset my PASSWORD, please!  (Now.)')).toEqual(['reset', 'my', 'password', 'please', 'now']);
  });

  it('drops possessives and expands contractions, including curly apostrophes', () => {
    expect(tokenize("The customer's invoice doesn’t load; I'm stuck and can't pay")).toEqual([
      'the', 'customer', 'invoice', 'does', 'not', 'load', 'i', 'am', 'stuck', 'and', 'can', 'not', 'pay',
    ]);
  });

  it('keeps numbers, versions and hyphenated or dotted compounds whole', () => {
    expect(tokenize('Error 404 after v2.1 update on wi-fi; see help.example.com')).toEqual(['error', '404', 'after', 'v2.1', 'update', 'on', 'wi-fi', 'see', 'help.example.com']);
    expect(splitCompound('wi-fi')).toEqual(['wi', 'fi']);
    expect(splitCompound('password')).toEqual(['password']);
  });

  it('normalises compatibility forms and keeps non-English letters', () => {
    expect(tokenize('Ｒｅｓｅｔ Café Größe пароль')).toEqual(['reset', 'café', 'größe', 'пароль']);
  });

  it('yields nothing for text without words', () => {
    expect(tokenize('  ...!?  — ')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });
});

describe('character n-grams', () => {
  it('lists the 3- to 5-grams of the marked word plus the whole marked word', () => {
    expect(charNgrams('cat')).toEqual(['<ca', 'cat', 'at>', '<cat', 'cat>', '<cat>']);
    // 7 marked chars: 5 trigrams + 4 four-grams + 3 five-grams + the word itself
    expect(charNgrams('reset')).toHaveLength(5 + 4 + 3 + 1);
    expect(charNgrams('a')).toEqual(['<a>']);
  });

  it('hashes deterministically, with the seed changing the hash', () => {
    expect(hashString('<pa')).toBe(hashString('<pa'));
    expect(hashString('<pa')).not.toBe(hashString('<pb'));
    expect(hashString('<pa', 1)).not.toBe(hashString('<pa'));
    expect(hashString('')).toBe(hashString(''));
  });

  it('spreads n-grams over the buckets with signs, each word carrying its weight as a unit-norm share', () => {
    const into = new Float64Array(284);
    addHashedNgrams('password', 2, into, 0, 284);
    const nonZero = [...into].filter((v) => v !== 0);
    expect(nonZero.length).toBeGreaterThan(10);
    expect(nonZero.some((v) => v < 0) && nonZero.some((v) => v > 0)).toBe(true);
    // 19 n-grams × (2 / √19)² = 4 when nothing collides; collisions only change it a little
    const squared = nonZero.reduce((s, v) => s + v * v, 0);
    expect(squared).toBeGreaterThan(3);
    expect(squared).toBeLessThan(6);
  });

  it('shares most features between a word and its typo', () => {
    const a = new Float64Array(284);
    const b = new Float64Array(284);
    const c = new Float64Array(284);
    addHashedNgrams('password', 1, a, 0, 284);
    addHashedNgrams('passwrod', 1, b, 0, 284);
    addHashedNgrams('invoice', 1, c, 0, 284);
    const cos = (x: Float64Array, y: Float64Array) => {
      normalizeRange(x, 0, 284);
      normalizeRange(y, 0, 284);
      return x.reduce((s, v, i) => s + v * y[i]!, 0);
    };
    expect(cos(a.slice(), b.slice())).toBeGreaterThan(0.3);
    expect(Math.abs(cos(a.slice(), c.slice()))).toBeLessThan(0.25);
  });
});

describe('normalizeRange', () => {
  it('scales only the given range to unit length and returns its former norm', () => {
    const values = Float64Array.from([9, 3, 4, 9]);
    expect(normalizeRange(values, 1, 3)).toBe(5);
    expect([...values]).toEqual([9, 0.6, 0.8, 9]);
  });

  it('leaves an all-zero range alone', () => {
    const values = new Float64Array(3);
    expect(normalizeRange(values, 0, 3)).toBe(0);
    expect([...values]).toEqual([0, 0, 0]);
  });
});
