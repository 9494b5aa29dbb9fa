import { countTokens } from '@switchboard/ai-gateway';
import { resolveCitations } from './citations';
import { passagesText, selectPassages, type CandidateChunk } from './passages';

const chunk = (over: Partial<CandidateChunk>): CandidateChunk => ({
  chunkId: `c-${over.articleId ?? 'a'}-${over.ordinal ?? 0}`,
  articleId: 'a',
  ordinal: 0,
  title: 'Reset your password',
  slug: 'reset-your-password',
  locale: 'en',
  visibility: 'public',
  heading: '',
  content: 'Click Forgot password? below the sign-in form.',
  similarity: 0.8,
  lexical: false,
  articleRank: 0,
  searchPick: true,
  ...over,
});

describe('selectPassages', () => {
  it('keeps only strong chunks: a full-text match, or similarity at the threshold', () => {
    const picked = selectPassages(
      [chunk({ articleId: 'a', similarity: 0.2, lexical: true }), chunk({ articleId: 'b', articleRank: 1, similarity: 0.5 }), chunk({ articleId: 'c', articleRank: 2, similarity: 0.49 }), chunk({ articleId: 'd', articleRank: 3, similarity: null })],
      0.5,
      2000,
    );
    expect(picked.map((p) => p.articleId)).toEqual(['a', 'b']);
    expect(picked.map((p) => p.n)).toEqual([1, 2]);
  });

  it('takes every article’s best chunk before second chunks, and numbers them in reading order', () => {
    const long = 'word '.repeat(150);
    const candidates = [
      chunk({ articleId: 'a', ordinal: 0, searchPick: false, similarity: 0.9, content: long }),
      chunk({ articleId: 'a', ordinal: 1, searchPick: true, similarity: 0.7, content: long }),
      chunk({ articleId: 'b', articleRank: 1, ordinal: 4, similarity: 0.6, content: long, title: 'Other' }),
    ];
    const one = countTokens(`[99] Reset your password\n${long.trim()}`) + 2;
    // Room for two passages: a's search pick and b's best chunk, not a's second chunk.
    const picked = selectPassages(candidates, 0.5, one * 2 + 5);
    expect(picked.map((p) => [p.articleId, p.ordinal, p.n])).toEqual([
      ['a', 1, 1],
      ['b', 4, 2],
    ]);
    // With room for all, a's chunks come in article order.
    expect(selectPassages(candidates, 0.5, one * 3 + 10).map((p) => [p.articleId, p.ordinal])).toEqual([
      ['a', 0],
      ['a', 1],
      ['b', 4],
    ]);
  });

  it('stays within the token budget, cutting a first passage that alone is larger', () => {
    const picked = selectPassages([chunk({ content: 'Open the settings page and choose a new password. '.repeat(200) })], 0.5, 120);
    expect(picked).toHaveLength(1);
    expect(countTokens(passagesText(picked))).toBeLessThanOrEqual(120);
    expect(picked[0]!.text).toMatch(/^\[1\] Reset your password\nOpen the settings/);
    expect(picked[0]!.text.endsWith('…')).toBe(true);
  });

  it('formats headers with the heading path', () => {
    expect(selectPassages([chunk({ heading: 'From the sign-in page' })], 0.5, 500)[0]!.text).toBe('[1] Reset your password › From the sign-in page\nClick Forgot password? below the sign-in form.');
  });
});

describe('resolveCitations', () => {
  const passages = selectPassages(
    [chunk({ articleId: 'a', ordinal: 0 }), chunk({ articleId: 'a', ordinal: 1, searchPick: false }), chunk({ articleId: 'b', articleRank: 1, title: 'Links expire', slug: 'links-expire' })],
    0.5,
    2000,
  );
  const url = (p: { slug: string }) => `/x/${p.slug}`;

  it('maps numbers to the passages given, one citation per article in order of mention', () => {
    const { answer, citations } = resolveCitations('Links expire after 30 minutes [3]. Use Forgot password? [1][2].', passages, url);
    expect(answer).toBe('Links expire after 30 minutes [3]. Use Forgot password? [1][2].');
    expect(citations).toEqual([
      { articleId: 'b', title: 'Links expire', slug: 'links-expire', locale: 'en', url: '/x/links-expire', passages: [3] },
      { articleId: 'a', title: 'Reset your password', slug: 'reset-your-password', locale: 'en', url: '/x/reset-your-password', passages: [1, 2] },
    ]);
  });

  it('drops numbers that were never given, from the text and the citations', () => {
    const { answer, citations } = resolveCitations('It takes a minute [9]. Check spam [1, 7]. See [0].', passages, url);
    expect(answer).toBe('It takes a minute. Check spam [1]. See.');
    expect(citations.map((c) => c.passages)).toEqual([[1]]);
  });
});
