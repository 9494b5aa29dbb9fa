import { renderArticleHtml } from './markdown';

describe('renderArticleHtml', () => {
  it('renders Markdown and strips scripts, handlers and javascript: links', () => {
    const html = renderArticleHtml('# Title\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(1)</script> **bold**');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toMatch(/onerror|<script|href="javascript:/i);
  });

  it('marks links nofollow', () => {
    expect(renderArticleHtml('[docs](https://example.com)')).toContain('rel="noopener noreferrer nofollow"');
  });
});
