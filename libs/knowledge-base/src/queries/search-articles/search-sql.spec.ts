import { textSearchLanguages } from '../../domain/locale';
import { anyWordsQuery, buildSearchStatement, hasSearchOperators, RERANK_WEIGHTS, searchSettings } from './search-sql';
import { renderSnippet } from './search-articles.handler';

const base = { tenantId: 't', q: 'reset password', vector: '[1,0]', configs: ['english'], mode: 'hybrid' as const, audience: 'agent' as const, limit: 10, candidates: 40, lexicalPool: 400 };

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

  it("searches the embedder's prefix index and re-ranks its candidates by the whole vector, or the whole vector's partial index (ADR 0068)", () => {
    const prefixed = buildSearchStatement({ ...base, vectorPrefix: { dimensions: 100, pool: 200 } })!;
    const pool = prefixed.params.indexOf(200) + 1;
    expect(pool).toBeGreaterThan(0);
    expect(prefixed.sql).toMatch(/ORDER BY c\.embedding_search <=> subvector\(\$\d+::vector, 1, 100\)::halfvec\(100\) LIMIT \$\d+::int\) k/);
    expect(prefixed.sql).toContain(`LIMIT $${pool}::int) k`);
    // The list's order and distances (the rerank's similarity) are the whole vector's.
    expect(prefixed.sql).toMatch(/k\.embedding <=> \$\d+::vector AS distance[\s\S]*ORDER BY distance, k\.id LIMIT \$3/);
    expect(prefixed.sql).not.toContain('NOT LIKE');
    const whole = buildSearchStatement({ ...base, vectorPrefix: null })!;
    expect(whole.sql).not.toContain('embedding_search');
    // The predicate of the partial index on the whole vector, so that the planner can use it.
    expect(whole.sql).toMatch(/c\.embedder NOT LIKE 'local:%' ORDER BY c\.embedding <=> \$\d+::vector LIMIT \$3/);
  });

  it("adds word-vector expansion words to the synonym sets' terms, as a parameter, only when there are some", () => {
    const { sql, params } = buildSearchStatement({ ...base, expansion: 'phone heating' })!;
    const at = params.indexOf('phone heating') + 1;
    expect(at).toBeGreaterThan(0);
    expect(sql).toContain(`concat_ws(' ', string_agg(DISTINCT t, ' '), $${at}::text)`);
    expect(buildSearchStatement(base)!.params).not.toContain('');
    expect(buildSearchStatement(base)!.sql).toContain(`concat_ws(' ', string_agg(DISTINCT t, ' '), NULL::text)`);
  });

  it('ranks at most the lexical pool of full-text matches, as a parameter', () => {
    const { sql, params } = buildSearchStatement({ ...base, lexicalPool: 123 })!;
    const pool = params.indexOf(123) + 1;
    expect(pool).toBeGreaterThan(0);
    expect(sql).toContain(`, $3, $${pool}::int,`);
    // Dense mode runs no lexical list and so sends no pool (every parameter must be referenced).
    expect(buildSearchStatement({ ...base, mode: 'dense', lexicalPool: 123 })!.params).not.toContain(123);
  });

  it("without configurations looks up the tenant's languages in the same statement", () => {
    const languages = textSearchLanguages();
    const { sql, params } = buildSearchStatement({ ...base, configs: null }, languages)!;
    expect(sql).toMatch(/array_agg\(l\.cfg ORDER BY l\.cfg::text\)/);
    expect(sql).toMatch(/kb_lexical_ranked\(\$\d+::text, \(SELECT words FROM syn\), \(SELECT cfgs FROM cfgs\)/);
    expect(sql).toContain('FROM kb_categories k');
    expect(params).toContainEqual(languages.languages);
    expect(params).toContainEqual(languages.configs);
    expect(languages.configs[languages.languages.indexOf('de')]).toBe('german');
    expect(() => buildSearchStatement({ ...base, configs: null })).toThrow(/language/);
  });

  it("expands the lexical side with the tenant's synonym sets that hold one of the query's words or phrases", () => {
    const { sql, params } = buildSearchStatement({ ...base, q: 'Wi-Fi setup' })!;
    expect(sql).toMatch(/FROM kb_synonyms s, unnest\(s\.terms\) t\s+WHERE s\.tenant_id = \$1 AND s\.terms && \$\d+::text\[\]/);
    expect(params).toContainEqual(['wi', 'fi', 'setup', 'wi fi', 'fi setup', 'wi fi setup']);
    expect(buildSearchStatement({ ...base, mode: 'dense' })!.sql).not.toContain('kb_synonyms');
  });

  it('reranks the fused articles on their features in hybrid mode only, with the weights as a parameter', () => {
    const { sql, params } = buildSearchStatement(base)!;
    expect(sql).toMatch(/reranked AS[\s\S]*FROM reranked s/);
    expect(params).toContainEqual([RERANK_WEIGHTS.fused, RERANK_WEIGHTS.lexical, RERANK_WEIGHTS.coverage, RERANK_WEIGHTS.title, RERANK_WEIGHTS.similarity, RERANK_WEIGHTS.feedback, RERANK_WEIGHTS.learned]);
    expect(sql).toContain('FROM kb_learned_terms l WHERE l.tenant_id = $1');
    expect(sql).toContain('FROM kb_article_feedback f');
    expect(buildSearchStatement({ ...base, rerank: null })!.sql).toContain('FROM article_scores s');
    expect(buildSearchStatement({ ...base, mode: 'lexical' })!.sql).not.toContain('reranked');
    // Every parameter is referenced: dense mode sends no text it does not read.
    const dense = buildSearchStatement({ ...base, mode: 'dense' })!;
    expect(dense.params).not.toContain(base.q);
  });

  it('sets the vector list to iterative scan with the given candidate list', () => {
    expect(searchSettings(40)).toEqual({ 'hnsw.ef_search': '40', 'hnsw.iterative_scan': 'relaxed_order' });
  });

  it('accepts only plain configuration names', () => {
    const { sql } = buildSearchStatement({ ...base, configs: [`english'); DROP TABLE x; --`] })!;
    expect(sql).toContain(`ARRAY['englishx']::regconfig[]`);
  });
});

describe('search operators', () => {
  it('requires the websearch match only for a quoted phrase or an excluded word', () => {
    expect(hasSearchOperators('"radiator key"')).toBe(true);
    expect(hasSearchOperators('boiler -gas')).toBe(true);
    expect(hasSearchOperators('wi-fi e-mail setup')).toBe(false);
    expect(buildSearchStatement({ ...base, q: '"radiator key"' })!.sql).toMatch(/kb_lexical_ranked\(\$\d+::text, \(SELECT words FROM syn\), \(SELECT cfgs FROM cfgs\), \(SELECT kb_tsquery_or\(websearch_to_tsquery/);
    expect(buildSearchStatement(base)!.sql).toContain('(SELECT cfgs FROM cfgs), NULL::tsquery,');
  });
});

describe('anyWordsQuery', () => {
  it("joins the words with websearch's or, dropping quotes, signs and the word or itself", () => {
    expect(anyWordsQuery('"reset" -password or PIN?')).toBe('reset or password or PIN');
    expect(anyWordsQuery('?!')).toBe('');
  });
});

describe('renderSnippet', () => {
  it('escapes the text and marks only what full text matched', () => {
    expect(renderSnippet('use \u0001<b>reset</b>\u0002 & <script>x</script>')).toBe('use <mark>&lt;b&gt;reset&lt;/b&gt;</mark> &amp; &lt;script&gt;x&lt;/script&gt;');
  });
});
