import { SHARED_EMBEDDINGS_CACHE_DIR } from '../../../../../test/support/embeddings';
import { LOCAL_DIMENSIONS, LocalEmbeddingsProvider, SEMANTIC_DIMENSIONS, sifWeights } from './local-embeddings.provider';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const norm = (a: Float32Array) => Math.sqrt(cosine(a, a));

describe('LocalEmbeddingsProvider (real word vectors)', () => {
  // The first run on a machine converts the wink JSON (~10 s); later runs load the shared file.
  const local = new LocalEmbeddingsProvider({ cacheDir: SHARED_EMBEDDINGS_CACHE_DIR });
  const lexical = new LocalEmbeddingsProvider({ cacheDir: SHARED_EMBEDDINGS_CACHE_DIR, semanticWeight: 0 });
  beforeAll(() => local.ready(), 120_000);

  const similarity = async (provider: LocalEmbeddingsProvider, a: string, b: string) => {
    const [va, vb] = await provider.embed([a, b]);
    return cosine(va!, vb!);
  };

  it('describes itself and returns one unit vector of 384 dimensions per text', async () => {
    expect(local).toMatchObject({ id: 'local', dimensions: LOCAL_DIMENSIONS });
    expect(lexical.id).toBe('local-lexical');
    const vectors = await local.embed(['How do I reset my password?', '', '!!!', 'пароль сбросить', 'x'.repeat(20_000)]);
    expect(vectors).toHaveLength(5);
    for (const v of vectors) {
      expect(v).toHaveLength(384);
      expect(norm(v)).toBeCloseTo(1, 5);
      expect(v.every(Number.isFinite)).toBe(true);
    }
  });

  it('embeds hostile input (huge tokens, control characters, every script) quickly and finitely', async () => {
    const hostile = ['a'.repeat(100_000), 'passwrod'.repeat(5_000), '\u0000\u0001\ud800 ' + '😀'.repeat(1000), Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ')];
    const vectors = await local.embed(hostile);
    for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 5);
  });

  it('is deterministic', async () => {
    const [a] = await local.embed(['Update the billing address on an invoice']);
    const [b] = await new LocalEmbeddingsProvider({ cacheDir: SHARED_EMBEDDINGS_CACHE_DIR }).embed(['Update the billing address on an invoice']);
    expect([...a!]).toEqual([...b!]);
  });

  it('scores paraphrases above unrelated texts', async () => {
    const pairs: Array<[string, string, string]> = [
      ['How do I change my password?', 'Steps to reset your login credentials', 'Schedule a technician visit for next week'],
      ['The app keeps crashing on my phone', 'Mobile application closes unexpectedly', 'Download last month’s invoice as PDF'],
      ['My heating will not turn on', 'The furnace does not start when the thermostat calls for heat', 'Add a new user to your team account'],
      ['cancel my subscription', 'stop the monthly plan and end billing', 'pair the thermostat with wi-fi'],
    ];
    for (const [query, paraphrase, unrelated] of pairs) {
      const related = await similarity(local, query, paraphrase);
      const other = await similarity(local, query, unrelated);
      expect({ query, related: related > other }).toEqual({ query, related: true });
    }
  });

  it('keeps typos close to the intended words ("reset my password" vs "forgotten passwrod")', async () => {
    // n-grams carry the typo; the word vectors borrow "password" for "passwrod" (one transposition)
    const typo = await similarity(local, 'reset my password', 'forgotten passwrod');
    const unrelated = await similarity(local, 'reset my password', 'invoice payment overdue');
    expect(typo).toBeGreaterThan(unrelated + 0.1);
    expect(await similarity(lexical, 'thermostat schedule', 'thermostaat shedule')).toBeGreaterThan(0.4);
  });

  it('gains from the word vectors on paraphrases with no shared words', async () => {
    for (const [a, b] of [['refund', 'reimbursement'], ['technician', 'engineer'], ['purchase', 'buy']]) {
      const withVectors = await similarity(local, a!, b!);
      const withoutVectors = await similarity(lexical, a!, b!);
      expect({ a, gain: withVectors - withoutVectors > 0.2 }).toEqual({ a, gain: true });
    }
  });

  it('has the word-vector part as its search prefix: prefixes rank paraphrases as the whole vectors do (ADR 0068)', async () => {
    expect(local.searchDimensions).toBe(SEMANTIC_DIMENSIONS);
    expect(lexical.searchDimensions).toBeUndefined();
    const prefixCosine = (a: Float32Array, b: Float32Array) => {
      const [pa, pb] = [a.subarray(0, SEMANTIC_DIMENSIONS), b.subarray(0, SEMANTIC_DIMENSIONS)];
      return cosine(pa, pb) / (norm(pa) * norm(pb));
    };
    for (const [a, b, unrelated] of [['refund', 'reimbursement', 'thermostat'], ['technician', 'engineer', 'invoice']]) {
      const [va, vb, vu] = await local.embed([a!, b!, unrelated!]);
      expect({ a, closer: prefixCosine(va!, vb!) > prefixCosine(va!, vu!) + 0.1 }).toEqual({ a, closer: true });
    }
    // A text with no known word has no prefix (search leaves it to full text).
    const [code] = await local.embed(['zq9x']);
    expect(norm(code!.subarray(0, SEMANTIC_DIMENSIONS))).toBe(0);
  });

  it('weights frequent words down (SIF over a Zipf frequency estimate)', () => {
    const weights = sifWeights(341_479, 1e-3);
    expect(weights[0]).toBeLessThan(0.05); // "the"
    expect(weights[100]).toBeLessThan(0.7);
    expect(weights[50_000]).toBeGreaterThan(0.99);
    for (let r = 1; r < 1000; r++) expect(weights[r]!).toBeGreaterThan(weights[r - 1]!);
  });

  it('stops a long batch when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(local.embed(Array.from({ length: 200 }, (_, i) => `text ${i}`), { signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});
