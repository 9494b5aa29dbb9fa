import { articleRefsIn } from './learn-from-article-links.job';

describe('articleRefsIn', () => {
  it('finds the article slugs and ids linked in a reply, once each', () => {
    const id = '0b3c8f4e-2f7a-4c53-9a43-5d3f0f0c1e2a';
    expect(
      articleRefsIn(`See https://help.example.com/hc/articles/reset-your-password and <a href="/v1/kb/articles/${id}">this</a>; also https://help.example.com/hc/articles/Reset-Your-Password.`),
    ).toEqual(['reset-your-password', id]);
  });

  it('finds nothing in a reply without article links', () => {
    expect(articleRefsIn('Try restarting the app, and write back if it still crashes. https://example.com/status')).toEqual([]);
  });
});
