import type { AnswerCitation } from './answer-question.command';
import type { Passage } from './passages';

const MARKER = /\s?\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]/g;

/**
 * Maps the answer's `[n]` markers to the passages that were really given. Numbers the prompt
 * never had are dropped from the text and from the citations, so a reader never follows a
 * reference to nothing; citations come in order of first mention, one per article.
 */
export function resolveCitations(text: string, passages: Passage[], urlOf: (p: Passage) => string): { answer: string; citations: AnswerCitation[] } {
  const byNumber = new Map(passages.map((p) => [p.n, p]));
  const citations = new Map<string, AnswerCitation>();
  const answer = text.replace(MARKER, (whole, list: string) => {
    const known = list
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => byNumber.has(n));
    for (const n of known) {
      const p = byNumber.get(n)!;
      const citation = citations.get(p.articleId) ?? { articleId: p.articleId, title: p.title, slug: p.slug, locale: p.locale, url: urlOf(p), passages: [] };
      if (!citation.passages.includes(n)) citation.passages.push(n);
      citations.set(p.articleId, citation);
    }
    if (known.length === 0) return '';
    return `${whole.startsWith(' ') ? ' ' : ''}[${known.join(', ')}]`;
  });
  return { answer: answer.trim(), citations: [...citations.values()] };
}
