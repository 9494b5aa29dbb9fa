import type { Statement } from '@switchboard/platform';
import type { ArticleStatus, Visibility } from './kb.sql';

/** The dimension `kb_chunks.embedding` is created with; a provider with another needs a migration and a reindex. */
export const STORED_DIMENSIONS = 384;

/** `pgvector` text form of a vector. */
export const toVectorLiteral = (v: Float32Array | readonly number[]) => `[${Array.from(v, (x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;

/** The dimension `kb_chunks.embedding` was created with (its type modifier), and that of its search prefix `embedding_search` (null without one). */
export const selectVectorDimensions = (): Statement => ({
  sql: `SELECT max(atttypmod) FILTER (WHERE attname = 'embedding') AS dims, max(atttypmod) FILTER (WHERE attname = 'embedding_search') AS search_dims
          FROM pg_attribute WHERE attrelid = 'kb_chunks'::regclass AND attname IN ('embedding', 'embedding_search') AND NOT attisdropped`,
});

/** A row when the consumer has already applied the event (its receipt committed with the chunks). */
export const selectReceipt = (tenantId: string, consumer: string, eventId: string): Statement => ({
  sql: `SELECT 1 FROM event_receipts WHERE tenant_id = $1 AND consumer = $2 AND event_id = $3`,
  params: [tenantId, consumer, eventId],
});

/** What indexing reads of an article: its text, state and the columns search filters on. */
export interface IndexedArticle {
  version: number;
  status: ArticleStatus;
  title: string;
  body: string;
  locale: string;
  visibility: Visibility;
  categoryId: string;
  sectionId: string;
  tags: string[];
}

export const selectIndexedArticle = (tenantId: string, articleId: string): Statement => ({
  sql: `SELECT version, status, title, body, locale, visibility, category_id, section_id, tags FROM kb_articles WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, articleId],
});

/* eslint-disable @typescript-eslint/no-explicit-any */
export const toIndexedArticle = (r: any): IndexedArticle => ({
  version: r.version,
  status: r.status,
  title: r.title,
  body: r.body,
  locale: r.locale,
  visibility: r.visibility,
  categoryId: r.category_id,
  sectionId: r.section_id,
  tags: r.tags,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

export const selectArticleChunkHashes = (tenantId: string, articleId: string): Statement => ({
  sql: `SELECT id, content_hash, embedder FROM kb_chunks WHERE tenant_id = $1 AND article_id = $2`,
  params: [tenantId, articleId],
});

/** The article's version, its row locked until the chunks are written. */
export const selectArticleVersionForUpdate = (tenantId: string, articleId: string): Statement => ({
  sql: `SELECT version FROM kb_articles WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
  params: [tenantId, articleId],
});

export const deleteChunks = (tenantId: string, ids: string[]): Statement => ({
  sql: `DELETE FROM kb_chunks WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
  params: [tenantId, ids],
});

/** Unchanged text keeps its vector; ordinal and the article's filter columns may still move. */
export const updateKeptChunks = (tenantId: string, article: IndexedArticle, kept: { id: string; ordinal: number }[]): Statement => ({
  sql: `UPDATE kb_chunks c SET ordinal = k.ordinal, visibility = $3, category_id = $4, section_id = $5, tags = $6
          FROM unnest($2::uuid[], $7::int[]) AS k(id, ordinal)
         WHERE c.tenant_id = $1 AND c.id = k.id`,
  params: [tenantId, kept.map((k) => k.id), article.visibility, article.categoryId, article.sectionId, article.tags, kept.map((k) => k.ordinal)],
});

export interface NewChunk {
  ordinal: number;
  heading: string;
  content: string;
  hash: string;
  /** `pgvector` literal (see toVectorLiteral). */
  embedding: string;
}

/** New chunks with their full-text vector (title A, heading B, content C) and embedding. */
export const insertChunks = (tenantId: string, articleId: string, article: IndexedArticle, textSearchConfig: string, embedder: string, chunks: NewChunk[]): Statement => ({
  sql: `INSERT INTO kb_chunks (tenant_id, article_id, ordinal, locale, visibility, category_id, section_id, tags, heading, content, content_hash, ts_config, tsv, embedding, embedder)
        SELECT $1, $2, n.ordinal, $3, $4, $5, $6, $7, n.heading, n.content, n.hash, $8::regconfig,
               setweight(to_tsvector($8::regconfig, $9), 'A') || setweight(to_tsvector($8::regconfig, n.heading), 'B') || setweight(to_tsvector($8::regconfig, n.content), 'C'),
               n.embedding::vector, $10
          FROM unnest($11::int[], $12::text[], $13::text[], $14::text[], $15::text[]) AS n(ordinal, heading, content, hash, embedding)`,
  params: [
    tenantId,
    articleId,
    article.locale,
    article.visibility,
    article.categoryId,
    article.sectionId,
    article.tags,
    textSearchConfig,
    article.title,
    embedder,
    chunks.map((c) => c.ordinal),
    chunks.map((c) => c.heading),
    chunks.map((c) => c.content),
    chunks.map((c) => c.hash),
    chunks.map((c) => c.embedding),
  ],
});

/** The version the index reflects: the article's, while it is published. */
export const updateIndexedVersion = (tenantId: string, articleId: string): Statement => ({
  sql: `UPDATE kb_articles SET indexed_version = CASE WHEN status = 'published' THEN version END WHERE tenant_id = $1 AND id = $2`,
  params: [tenantId, articleId],
});

/** Chunks' text by id, of published articles only (and public ones for the public audience). */
export const selectChunkTexts = (tenantId: string, ids: string[], audience: 'agent' | 'public'): Statement => ({
  sql: `SELECT c.id, c.article_id, c.heading, c.content FROM kb_chunks c
          JOIN kb_articles a ON a.tenant_id = c.tenant_id AND a.id = c.article_id AND a.status = 'published' ${audience === 'public' ? `AND a.visibility = 'public'` : ''}
         WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[])`,
  params: [tenantId, ids],
});

export interface AnswerCandidatesInput {
  question: string;
  articleIds: string[];
  /** The search's own pick per article, taken first. */
  pickedChunkIds: string[];
  perArticle: number;
  /** `pgvector` literal of the question, or null when its similarity cannot be measured. */
  vector: string | null;
  audience: 'agent' | 'public';
}

/** A chunk that may become an answer's passage, with how well it matches the question. */
export interface AnswerCandidate {
  chunkId: string;
  articleId: string;
  ordinal: number;
  title: string;
  slug: string;
  locale: string;
  visibility: string;
  heading: string;
  content: string;
  /** Cosine similarity of question and chunk; null when the question's vector was not usable. */
  similarity: number | null;
  /** Whether the chunk matches every word of the question in full text (title included). */
  lexical: boolean;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export const toAnswerCandidate = (r: any): AnswerCandidate => ({
  chunkId: r.id,
  articleId: r.article_id,
  ordinal: Number(r.ordinal),
  title: r.title,
  slug: r.slug,
  locale: r.locale,
  visibility: r.visibility,
  heading: r.heading,
  content: r.content,
  similarity: r.similarity === null ? null : Number(r.similarity),
  lexical: r.lexical === true,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Up to `perArticle` chunks of each article (the search's pick, then the closest to the question),
 * with the question's cosine similarity and a full-text match, re-checked against the article row:
 * published, and public for the help center.
 */
export function selectAnswerCandidates(tenantId: string, input: AnswerCandidatesInput): Statement {
  const params: unknown[] = [tenantId, input.question, input.articleIds, input.pickedChunkIds, input.perArticle];
  const similarity = input.vector ? `1 - (c.embedding <=> $${params.push(input.vector)}::vector)` : 'NULL::float8';
  const visible = input.audience === 'public' ? `AND a.visibility = 'public'` : '';
  return {
    sql: `SELECT id, article_id, ordinal, heading, content, title, slug, locale, visibility, similarity, lexical FROM (
            SELECT c.id, c.article_id, c.ordinal, c.heading, c.content, a.title, a.slug, a.locale, a.visibility,
                   ${similarity} AS similarity,
                   c.tsv @@ websearch_to_tsquery(c.ts_config, $2) AS lexical,
                   row_number() OVER (PARTITION BY c.article_id ORDER BY (c.id = ANY($4::uuid[])) DESC, ${similarity} DESC NULLS LAST, c.ordinal) AS rn
              FROM kb_chunks c
              JOIN kb_articles a ON a.tenant_id = c.tenant_id AND a.id = c.article_id AND a.status = 'published' ${visible}
             WHERE c.tenant_id = $1 AND c.article_id = ANY($3::uuid[])) x
           WHERE rn <= $5`,
    params,
  };
}

/** The tenant's vocabulary: every lexeme its indexed chunks hold (query expansion by word vectors). */
export function selectVocabulary(tenantId: string): Statement {
  return { sql: `SELECT lexeme FROM kb_terms WHERE tenant_id = $1 AND df > 0 AND lexeme <> ''`, params: [tenantId] };
}

/**
 * The question's words in the text search configurations of the passages' languages (not every
 * language the tenant writes in: another language's parser keeps this one's stop words), each with its
 * document frequency in the tenant's chunks, the vocabulary words nearest by trigrams when the
 * tenant never wrote it (with their similarity, frequency and whether a passage holds them: the
 * search reads a typo as its most similar word), whether one of the given chunks holds it, the
 * tenant's synonyms of it (from the sets matching the question's `grams`, as the search expands
 * them) and agents' learned evidence for it; plus the tenant's chunk count. For the answer's
 * coverage check (commands/answer-question/coverage.ts).
 */
export function selectQuestionTerms(tenantId: string, question: string, passages: { chunkIds: string[]; articleIds: string[] }, configs: readonly string[], grams: readonly string[]): Statement {
  return {
    sql: `WITH cfgs AS (SELECT unnest($4::regconfig[]) AS cfg),
          words AS (SELECT DISTINCT u.lexeme FROM cfgs, unnest(to_tsvector(cfgs.cfg, left($2, 1000))) u),
          alternatives AS (
            SELECT DISTINCT wl.lexeme AS word, al.lexeme AS alt
              FROM kb_synonyms s, unnest(s.terms) g, cfgs, unnest(to_tsvector(cfgs.cfg, g)) wl, unnest(s.terms) a, unnest(to_tsvector(cfgs.cfg, a)) al
             WHERE s.tenant_id = $1 AND s.terms && $6::text[] AND g = ANY ($6::text[]) AND a <> ALL ($6::text[]) AND al.lexeme <> wl.lexeme)
          SELECT w.lexeme, coalesce(t.df, 0) AS df,
                 near.lexemes AS nearest, near.similarities AS nearest_similarity, near.dfs AS nearest_df, near.held AS nearest_in_passages,
                 EXISTS (SELECT 1 FROM kb_chunks c WHERE c.tenant_id = $1 AND c.id = ANY ($3::uuid[]) AND c.tsv @@ quote_literal(w.lexeme)::tsquery) AS in_passages,
                 EXISTS (SELECT 1 FROM kb_chunks c WHERE c.tenant_id = $1 AND c.article_id = ANY ($5::uuid[]) AND c.tsv @@ quote_literal(w.lexeme)::tsquery) AS in_articles,
                 syn.df AS synonym_df, syn.held AS synonym_in_passages,
                 EXISTS (SELECT 1 FROM kb_learned_terms l WHERE l.tenant_id = $1 AND l.lexeme = w.lexeme AND l.weight > 0) AS learned,
                 EXISTS (SELECT 1 FROM kb_learned_terms l WHERE l.tenant_id = $1 AND l.lexeme = w.lexeme AND l.weight > 0 AND l.article_id = ANY ($5::uuid[])) AS learned_in_passages,
                 (SELECT coalesce(max(df), 0) FROM kb_terms WHERE tenant_id = $1 AND lexeme = '') AS chunks
            FROM words w
            LEFT JOIN kb_terms t ON t.tenant_id = $1 AND t.lexeme = w.lexeme
            LEFT JOIN LATERAL (
              SELECT array_agg(n.lexeme ORDER BY n.sim DESC, n.df DESC, n.lexeme) AS lexemes, array_agg(n.sim ORDER BY n.sim DESC, n.df DESC, n.lexeme) AS similarities,
                     array_agg(n.df ORDER BY n.sim DESC, n.df DESC, n.lexeme) AS dfs,
                     array_agg(EXISTS (SELECT 1 FROM kb_chunks c WHERE c.tenant_id = $1 AND c.id = ANY ($3::uuid[]) AND c.tsv @@ quote_literal(n.lexeme)::tsquery) ORDER BY n.sim DESC, n.df DESC, n.lexeme) AS held
                FROM (SELECT v.lexeme, v.df, similarity(v.lexeme, w.lexeme)::float8 AS sim FROM kb_terms v
                       WHERE coalesce(t.df, 0) = 0 AND char_length(w.lexeme) >= 3 AND v.tenant_id = $1 AND v.df > 0 AND v.lexeme <> '' AND similarity(v.lexeme, w.lexeme) >= 0.2
                       ORDER BY similarity(v.lexeme, w.lexeme) DESC, v.df DESC, v.lexeme LIMIT 8) n) near ON true
            LEFT JOIN LATERAL (
              SELECT max(d.df) AS df, bool_or(EXISTS (SELECT 1 FROM kb_chunks c WHERE c.tenant_id = $1 AND c.id = ANY ($3::uuid[]) AND c.tsv @@ quote_literal(a.alt)::tsquery)) AS held
                FROM alternatives a JOIN kb_terms d ON d.tenant_id = $1 AND d.lexeme = a.alt AND d.df > 0
               WHERE a.word = w.lexeme) syn ON true
           ORDER BY w.lexeme`,
    params: [tenantId, question, passages.chunkIds, configs.map((c) => c.replace(/[^a-z_]/g, '')), passages.articleIds, grams],
  };
}

/**
 * Each word of the question (split at spaces, outer punctuation trimmed) as the answer's coverage
 * check reads it: whether it is a function word of the passages' languages (no lexeme in any of
 * `configs`) or of another language only (a stop word of one of `otherConfigs`: "de", "als", "un").
 */
export function selectQuestionWords(words: readonly string[], configs: readonly string[], otherConfigs: readonly string[]): Statement {
  const clean = (cs: readonly string[]) => cs.map((c) => c.replace(/[^a-z_]/g, ''));
  return {
    sql: `SELECT s.i::int - 1 AS position,
                 NOT EXISTS (SELECT 1 FROM unnest($2::regconfig[]) cfg WHERE length(to_tsvector(cfg, s.w)) > 0) AS own_stop,
                 EXISTS (SELECT 1 FROM unnest($2::regconfig[]) cfg WHERE length(to_tsvector(cfg, s.w)) > 0)
                   AND EXISTS (SELECT 1 FROM unnest($3::regconfig[]) cfg WHERE length(to_tsvector(cfg, s.w)) = 0) AS other_stop,
                 ARRAY(SELECT DISTINCT u.lexeme FROM unnest($2::regconfig[]) cfg, unnest(to_tsvector(cfg, s.w)) u ORDER BY 1) AS lexemes
            FROM unnest($1::text[]) WITH ORDINALITY s (w, i)
           ORDER BY s.i`,
    params: [words, clean(configs), clean(otherConfigs)],
  };
}
