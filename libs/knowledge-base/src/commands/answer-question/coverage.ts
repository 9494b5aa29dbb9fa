/**
 * Whether an answer's passages cover what the question is about (ADR 0063). A cosine threshold
 * alone lets "How do I cancel my Netflix subscription?" be answered from the tenant's own
 * cancellation page: the words are close, the subject is not. Each of the question's words is
 * weighed by its rarity in the tenant's own articles (idf); a word the tenant never wrote (and that
 * is no typo of one of its words: another brand, a tax office, a payment app) weighs as much as the
 * rarest word can, and no passage holds it. The passages must hold enough of the question's weight.
 */

/** A word of the question, as the tenant's text search configurations parse it. */
export interface QuestionTerm {
  lexeme: string;
  /** Chunks of the tenant holding it (0: the tenant never wrote it). */
  df: number;
  /** For a word the tenant never wrote: its vocabulary words nearest by trigrams (is it a typo of one?). */
  nearest: string[];
  /** Whether a passage given to the model holds it. */
  inPassages: boolean;
}

export interface CoverageVerdict {
  /** idf share of the question's words held by the passages, 0–1. */
  coverage: number;
  /** The words the tenant never wrote (no typo of its vocabulary either). */
  foreign: string[];
  covered: boolean;
}

/**
 * A word the tenant never wrote is a typo of one of its words within this many edits (insertions,
 * deletions, substitutions, adjacent swaps): 1 up to five letters, 2 from six ("cuopon" → coupon,
 * "cancl" → cancel; not "spotifi" → spot).
 */
export const typoEdits = (word: string) => ([...word].length >= 6 ? 2 : 1);

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps), stopping early past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * The least idf share of the question the passages must hold. Chosen on `kb:answer-eval`'s tuning
 * half (bench/RESULTS.md, 2026-12-07): the lowest value at which the fewest not-ours questions
 * keep passages (2 of 34 from 0.70 up, both about names the tenant does use: Google, Apple).
 */
export const MIN_QUESTION_COVERAGE = 0.7;

/** `chunks`: the tenant's chunk count (the N of idf). */
export function judgeCoverage(terms: readonly QuestionTerm[], chunks: number, minCoverage = MIN_QUESTION_COVERAGE): CoverageVerdict {
  const n = Math.max(chunks, 1);
  const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  let total = 0;
  let held = 0;
  const foreign: string[] = [];
  for (const t of terms) {
    if (t.df === 0) {
      // A typo of the tenant's word is for search to correct; it neither covers nor counts against.
      if (t.nearest.some((v) => editDistance(t.lexeme, v, typoEdits(t.lexeme)) <= typoEdits(t.lexeme))) continue;
      // Digits alone (a year, an amount, an error code the tenant never wrote) and one- or two-letter
      // words (another language's articles, "de", "la") say little about the subject.
      if (/^\d+$/.test(t.lexeme) || [...t.lexeme].length <= 2) continue;
      foreign.push(t.lexeme);
      total += idf(0);
      continue;
    }
    total += idf(t.df);
    if (t.inPassages) held += idf(t.df);
  }
  // A question of stop words only ("how do I?") has nothing to cover: the similarity check decides.
  const coverage = total === 0 ? 1 : held / total;
  return { coverage, foreign, covered: coverage >= minCoverage };
}
