import { countTokens } from '@switchboard/ai-gateway';
import type { AnswerCandidate } from '../../repositories/chunks.sql';

/** A chunk that retrieval brought back, with how well it matches the question and where the search ranked it. */
export interface CandidateChunk extends AnswerCandidate {
  /** Rank of the chunk's article in the hybrid search (0 = best). */
  articleRank: number;
  /** The chunk the search itself picked for its article. */
  searchPick: boolean;
}

export interface Passage extends CandidateChunk {
  n: number;
  /** The passage as the prompt numbers it: `[n] title › heading`, then its text. */
  text: string;
  /** What of the chunk's content fitted (cut at a word when the budget demanded it). */
  body: string;
}

/** Good enough to answer from: a full-text match of the whole question, or close in meaning. */
export const isStrong = (c: CandidateChunk, minSimilarity: number) => c.lexical || (c.similarity !== null && c.similarity >= minSimilarity);

/** The passage's heading line: article title, then the chunk's section heading. */
export const passageTitle = (c: CandidateChunk) => `${c.title}${c.heading ? ` › ${c.heading}` : ''}`;
const header = (n: number, c: CandidateChunk) => `[${n}] ${passageTitle(c)}`;
const format = (n: number, c: CandidateChunk, content = c.content) => `${header(n, c)}\n${content.trim()}`;

/**
 * The strong chunks that fit into `budgetTokens`, numbered in reading order (by article rank, then
 * position in the article). Each article's best chunk is taken first, in rank order, so that a
 * long first article cannot crowd out the others; further chunks of those articles follow by
 * similarity. A single first chunk larger than the whole budget is cut to fit.
 */
export function selectPassages(candidates: CandidateChunk[], minSimilarity: number, budgetTokens: number): Passage[] {
  const strong = candidates.filter((c) => isStrong(c, minSimilarity));
  const byArticle = new Map<string, CandidateChunk[]>();
  for (const c of strong) byArticle.set(c.articleId, [...(byArticle.get(c.articleId) ?? []), c]);
  const sim = (c: CandidateChunk) => c.similarity ?? (c.lexical ? 1 : 0);
  const primary: CandidateChunk[] = [];
  for (const chunks of [...byArticle.values()].sort((a, b) => a[0]!.articleRank - b[0]!.articleRank)) {
    primary.push(chunks.find((c) => c.searchPick) ?? [...chunks].sort((a, b) => sim(b) - sim(a) || a.ordinal - b.ordinal)[0]!);
  }
  const rest = strong.filter((c) => !primary.includes(c)).sort((a, b) => sim(b) - sim(a) || a.articleRank - b.articleRank || a.ordinal - b.ordinal);

  const chosen: { chunk: CandidateChunk; content: string }[] = [];
  // Numbers are assigned after selection; "[99] " stands in for any header's number when counting.
  const cost = (c: CandidateChunk, content = c.content) => countTokens(format(99, c, content)) + 2;
  let left = budgetTokens;
  for (const chunk of [...primary, ...rest]) {
    const tokens = cost(chunk);
    if (tokens <= left) {
      chosen.push({ chunk, content: chunk.content });
      left -= tokens;
    } else if (chosen.length === 0) {
      const content = truncateToTokens(chunk, left, cost);
      if (content) {
        chosen.push({ chunk, content });
        left -= cost(chunk, content);
      }
    }
  }
  chosen.sort((a, b) => a.chunk.articleRank - b.chunk.articleRank || a.chunk.ordinal - b.chunk.ordinal);
  return chosen.map(({ chunk, content }, i) => ({ ...chunk, n: i + 1, text: format(i + 1, chunk, content), body: content.trim() }));
}

/** The longest prefix of the chunk (cut at a word) whose passage fits `tokens`. */
function truncateToTokens(chunk: CandidateChunk, tokens: number, cost: (c: CandidateChunk, content: string) => number): string | null {
  let lo = 0;
  let hi = chunk.content.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cost(chunk, `${chunk.content.slice(0, mid)} …`) <= tokens) lo = mid;
    else hi = mid - 1;
  }
  const cut = chunk.content.slice(0, lo).replace(/\s+\S*$/, '');
  return cut.trim() ? `${cut} …` : null;
}

/** The passages as the one string the prompt carries. */
export const passagesText = (passages: Passage[]) => passages.map((p) => p.text).join('\n\n');
