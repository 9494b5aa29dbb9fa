import { buildSearchStatement } from './search-sql';
import { renderSnippet } from './search-articles.handler';

const base = { tenantId: 't', q: 'reset password', vector: '[1,0]', configs: ['english'], mode: 'hybrid' as const, audience: 'agent' as const, limit: 10, candidates: 40 };

describe('buildSearchStatement', () => {
  it('fuses a lexical and a dense list in hybrid mode, and only one of them otherwise', () => {
    expect(buildSearchStatement(base)!.sql).toMatch(/lex AS[\s\S]*dense AS/);
    expect(buildSearchStatement({ ...base, mode: 'lexical' })!.sql).not.toMatch(/dense AS/);
    expect(buildSearchStatement({ ...base, mode: 'dense' })!.sql).not.toMatch(/lex AS/);
    // Nothing to search with: a dense query whose text had no vector.
    expect(buildSearchStatement({ ...base, mode: 'dense', vector: null })).toBeNull();
  });

  it('passes user text only as parameters, and restricts the public audience in the scan and on the article', () => {
    const { sql, params } = buildSearchStatement({ ...base, q: `'; DROP TABLE kb_chunks; --`, audience: 'public', tags: ['x'], locale: 'en', categoryId: 'c' })!;
    expect(sql).not.toContain('DROP TABLE');
    expect(params).toContain(`'; DROP TABLE kb_chunks; --`);
    expect(sql).toContain(`c.visibility = 'public'`);
    expect(sql).toContain(`a.visibility = 'public'`);
    expect(sql).toContain(`a.status = 'published'`);
  });

  it('accepts only plain configuration names', () => {
    const { sql } = buildSearchStatement({ ...base, configs: [`english'); DROP TABLE x; --`] })!;
    expect(sql).toContain(`websearch_to_tsquery('englishx'::regconfig, $2)`);
  });
});

describe('renderSnippet', () => {
  it('escapes the text and marks only what full text matched', () => {
    expect(renderSnippet('use \u0001<b>reset</b>\u0002 & <script>x</script>')).toBe('use <mark>&lt;b&gt;reset&lt;/b&gt;</mark> &amp; &lt;script&gt;x&lt;/script&gt;');
  });
});
