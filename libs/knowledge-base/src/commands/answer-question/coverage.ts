/**
 * Whether an answer's passages cover what the question is about (ADR 0063, refined by ADR 0067).
 * A cosine threshold alone lets "How do I cancel my Netflix subscription?" be answered from the
 * tenant's own cancellation page: the words are close, the subject is not. Each of the question's
 * words is weighed by its rarity in the tenant's own articles (idf), read as the search reads it:
 * a typo as the tenant's word the search corrects it to, a word of a synonym set through the
 * synonyms the tenant writes, a word agents' replies have tied to an article as known. A word the
 * tenant never wrote weighs as much as the rarest word can and no passage holds it — unless the
 * question is in another language too (its function words: "de", "als"), where such words are
 * that language's and the check judges the rest. A *named thing* the tenant never wrote (a
 * capitalised word inside a sentence of the tenant's language: Nest, Ecobee, PayPal, HMRC)
 * declines the answer however well the rest is covered: the name is the subject.
 */

import { TYPO_MIN_SIMILARITY } from '../../queries/search-articles/search-sql';

/** A vocabulary word of the tenant near an unknown word of the question. */
export interface NearTerm {
  lexeme: string;
  /** Trigram similarity to the question's word. */
  similarity: number;
  df: number;
  inPassages: boolean;
}

/** A word of the question, as the tenant's text search configurations parse it. */
export interface QuestionTerm {
  lexeme: string;
  /** Chunks of the tenant holding it (0: the tenant never wrote it). */
  df: number;
  /** For a word the tenant never wrote: its vocabulary words nearest by trigrams, most similar first. */
  nearest: NearTerm[];
  /** Whether a passage given to the model holds it. */
  inPassages: boolean;
  /** Whether another chunk of a passage's article holds it (the article is about it; its passage chose other lines). */
  inArticles: boolean;
  /** The tenant's synonyms of it that its articles hold (largest df), or null. */
  synonym: { df: number; inPassages: boolean } | null;
  /** Agents' replies tied it to articles (learned evidence), and to a passage's article. */
  learned: { inPassages: boolean } | null;
}

/** A word of the question as typed (split at spaces, outer punctuation trimmed). */
export interface QuestionWord {
  text: string;
  /** The first word of a sentence (its capital says nothing). */
  sentenceStart: boolean;
  /** A function word of the passages' language ("the", "my", "with"): parses to nothing. */
  ownStop: boolean;
  /** Not one of the passages' function words but another language's ("de", "als", "un"). */
  otherStop: boolean;
  /** Its lexemes in the passages' configurations. */
  lexemes: string[];
}

export interface CoverageVerdict {
  /** idf share of the question's words held by the passages, 0–1. */
  coverage: number;
  /** The words the tenant never wrote (no typo, synonym or learned word either) that counted against. */
  foreign: string[];
  /** Named things the tenant never wrote: any declines the answer. */
  named: string[];
  /** Words read as another language's in a mixed-language question (left out of the weighing). */
  otherLanguage: string[];
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
 * The question's words as typed: split at spaces, outer punctuation trimmed, each marked when it
 * opens a sentence (the first word, or after `.`, `!`, `?`, `:`).
 */
export function questionWords(question: string): { text: string; sentenceStart: boolean }[] {
  const out: { text: string; sentenceStart: boolean }[] = [];
  let start = true;
  for (const raw of question.split(/\s+/)) {
    const text = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (text) out.push({ text, sentenceStart: start });
    if (text || /[.!?:]$/.test(raw)) start = /[.!?:]$/.test(raw);
  }
  return out.slice(0, 200);
}

/**
 * Written as a name: a capital after the first letter (PayPal, iCloud), or a capital first and
 * lower case after it not at a sentence's start (Nest, Ecobee), or all capitals (HMRC) — the last
 * only in a sentence of the tenant's language, where an acronym is not another language's noun.
 */
function looksNamed(w: QuestionWord, ownSentence: boolean): boolean {
  const letters = w.text.replace(/[^\p{L}]/gu, '');
  if (letters.length < 2 || /\p{N}/u.test(w.text)) return false;
  if (/\p{Ll}\p{Lu}/u.test(letters)) return true;
  if (/^\p{Lu}\p{Ll}+$/u.test(letters)) return !w.sentenceStart;
  if (/^\p{Lu}+$/u.test(letters)) return ownSentence && letters.length >= 3;
  return false;
}

/**
 * The least idf share of the question the passages must hold. Chosen on `kb:answer-eval`'s tuning
 * half (bench/RESULTS.md, 2026-12-07, ADR 0067).
 */
export const MIN_QUESTION_COVERAGE = 0.7;

/**
 * The share of its weight that a word the tenant writes carries when the passages' articles lack
 * it ("offline **mode**", "card **problem**"): it is the tenant's subject matter, only not this
 * article's lines, so it says less against the answer than a word the tenant never wrote. Chosen
 * on the tuning half (ADR 0067).
 */
export const MISSING_OWN_WORD_WEIGHT = 0.5;

/** `chunks`: the tenant's chunk count (the N of idf). */
export function judgeCoverage(terms: readonly QuestionTerm[], words: readonly QuestionWord[], chunks: number, minCoverage = MIN_QUESTION_COVERAGE): CoverageVerdict {
  const n = Math.max(chunks, 1);
  const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  // Another language's function word, or none of the tenant's language at all (keywords): the
  // words the tenant never wrote may be that language's, not another subject.
  const mixed = words.some((w) => w.otherStop) || !words.some((w) => w.ownStop);
  const ownSentence = !mixed;
  const namedLexemes = new Set(words.filter((w) => !mixed && looksNamed(w, ownSentence)).flatMap((w) => w.lexemes));
  // A contraction's stem ("doesn't" → doesn) is a function word the stop list does not spell.
  const contracted = new Set(words.filter((w) => /\p{L}['’]\p{L}/u.test(w.text)).flatMap((w) => w.lexemes));
  let total = 0;
  let held = 0;
  const foreign: string[] = [];
  const named: string[] = [];
  const otherLanguage: string[] = [];
  const weigh = (weight: number, covered: boolean) => {
    total += weight;
    if (covered) held += weight;
  };
  for (const t of terms) {
    if (t.df > 0) {
      const ownHeld = t.inPassages || t.inArticles || t.learned?.inPassages === true || t.synonym?.inPassages === true;
      weigh(ownHeld ? idf(t.df) : MISSING_OWN_WORD_WEIGHT * idf(t.df), ownHeld);
      continue;
    }
    if (t.synonym) {
      weigh(idf(t.synonym.df), t.synonym.inPassages || t.learned?.inPassages === true);
      continue;
    }
    if (t.learned) {
      weigh(idf(0), t.learned.inPassages);
      continue;
    }
    // A name is not read as a typo of the tenant's word ("Nest" is not "nestor", "Germany" not "german").
    if (namedLexemes.has(t.lexeme)) {
      named.push(t.lexeme);
      continue;
    }
    // A typo is judged as the word it stands for (the search's trigram reading, or a word within a
    // few edits): covered when the passages hold one of its readings ("factroy": factory, not factor).
    const readings = t.nearest.filter((v) => v.similarity >= TYPO_MIN_SIMILARITY || editDistance(t.lexeme, v.lexeme, typoEdits(t.lexeme)) <= typoEdits(t.lexeme));
    const heldReading = readings.find((v) => v.inPassages);
    if (heldReading) {
      weigh(idf(heldReading.df), true);
      continue;
    }
    // In a mixed-language question a short word of the other language often lies a letter or two
    // from one of the tenant's ("mot": not): unheld, it is read as that language's.
    if (readings.length > 0 && !mixed) {
      weigh(idf(readings[0]!.df), false);
      continue;
    }
    if (contracted.has(t.lexeme)) continue;
    // Digits alone (a year, an amount, an error code the tenant never wrote) and one- or two-letter
    // words say little about the subject.
    if (/^\d+$/.test(t.lexeme) || [...t.lexeme].length <= 2) continue;
    if (mixed) {
      otherLanguage.push(t.lexeme);
      continue;
    }
    foreign.push(t.lexeme);
    total += idf(0);
  }
  // A question of stop words only ("how do I?") has nothing to cover: the similarity check decides.
  // One whose every word is another language's has nothing the tenant wrote: nothing is covered.
  const coverage = total === 0 ? (otherLanguage.length > 0 ? 0 : 1) : held / total;
  return { coverage, foreign, named, otherLanguage, covered: minCoverage <= 0 || (named.length === 0 && coverage >= minCoverage) };
}
