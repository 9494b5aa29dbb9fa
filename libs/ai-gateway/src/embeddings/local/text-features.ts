/**
 * Text → tokens and hashed character n-gram features for the local embedder. Pure functions,
 * deterministic across processes and versions (the vectors they make are stored).
 */

const CONTRACTIONS: Record<string, string[]> = {
  "n't": ['not'],
  "'re": ['are'],
  "'ve": ['have'],
  "'ll": ['will'],
  "'d": ['would'],
  "'m": ['am'],
};
const IRREGULAR_NEGATIONS: Record<string, string> = { "can't": 'can', "won't": 'will', "shan't": 'shall', "ain't": 'is' };

// Runs of letters/digits, optionally joined by one inner ' - . _ (don't, wi-fi, v2.1, e.g, user_id).
const WORD = /[\p{L}\p{N}]+(?:['\-._][\p{L}\p{N}]+)*/gu;

/**
 * Lower-cased English tokens: Unicode-normalised (NFKC; curly apostrophes become '), possessive
 * 's dropped ("customer's" → customer), contractions expanded ("don't" → do not), hyphenated,
 * dotted and underscored compounds kept whole (the embedder splits them when the whole is not a
 * known word). Numbers are tokens too ("404", "2.5"); everything else is a separator.
 */
export function tokenize(text: string): string[] {
  const normalised = text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc`´]/g, "'");
  const tokens: string[] = [];
  for (const match of normalised.matchAll(WORD)) {
    let word = match[0];
    if (word.includes("'")) {
      const irregular = IRREGULAR_NEGATIONS[word];
      if (irregular) {
        tokens.push(irregular, 'not');
        continue;
      }
      if (word.endsWith("'s") || word.endsWith("s'")) {
        word = word.slice(0, word.endsWith("'s") ? -2 : -1);
      } else {
        const suffix = Object.keys(CONTRACTIONS).find((s) => word.endsWith(s) && word.length > s.length);
        if (suffix) {
          tokens.push(word.slice(0, -suffix.length), ...CONTRACTIONS[suffix]!);
          continue;
        }
      }
    }
    if (word.length > 0) tokens.push(word);
  }
  return tokens;
}

/** The parts of a compound token ("wi-fi" → wi, fi); a simple word is its own only part. */
export function splitCompound(token: string): string[] {
  return /['\-._]/.test(token) ? token.split(/['\-._]+/).filter(Boolean) : [token];
}

/** 32-bit FNV-1a over UTF-16 code units. */
export function hashString(value: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // A final avalanche (murmur3's fmix32) so that low bits are usable for bucketing.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const NGRAM_MIN = 3;
export const NGRAM_MAX = 5;

/**
 * The character n-grams of `<word>` (boundary markers included) from NGRAM_MIN to NGRAM_MAX, plus
 * the whole marked word, as fastText does: "reset" → <re, res, ese, set, et>, <res, …, <reset>.
 * Typos keep most of a word's n-grams ("passwrod" shares <pa, pas, ass, ssw, sw… with "password").
 */
export function charNgrams(word: string): string[] {
  const marked = `<${word}>`;
  const grams: string[] = [];
  for (let n = NGRAM_MIN; n <= NGRAM_MAX; n++) {
    for (let i = 0; i + n <= marked.length; i++) grams.push(marked.slice(i, i + n));
  }
  if (marked.length > NGRAM_MAX) grams.push(marked);
  return grams;
}

/**
 * Adds `weight` × the signed-hashed n-gram features of `word` into `into` (the hashing trick with
 * a sign bit, so that collisions cancel in expectation instead of piling up). Each word's n-grams
 * share the weight, so long words do not outweigh short ones.
 */
export function addHashedNgrams(word: string, weight: number, into: Float64Array, offset: number, buckets: number): void {
  const grams = charNgrams(word);
  const share = weight / Math.sqrt(grams.length);
  for (const gram of grams) {
    const h = hashString(gram);
    const bucket = h % buckets;
    const sign = (hashString(gram, 0x9747b28c) & 1) === 0 ? 1 : -1;
    into[offset + bucket]! += sign * share;
  }
}

/** Scales `values[start, end)` to unit length in place; returns the part's norm before. */
export function normalizeRange(values: Float64Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += values[i]! * values[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = start; i < end; i++) values[i]! /= norm;
  return norm;
}
