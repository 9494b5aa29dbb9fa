import type { Statement } from '@switchboard/platform';

/** Distinct words of one citation's text that become evidence (the rest of a long ticket adds noise, not signal). */
export const LEARNED_WORDS_MAX = 60;

/** The published articles among the references (ids or slugs), with their locales. */
export const selectCitedArticles = (tenantId: string, refs: string[]): Statement => ({
  sql: `SELECT id, locale FROM kb_articles
         WHERE tenant_id = $1 AND status = 'published'
           AND (id::text = ANY ($2::text[]) OR slug = ANY ($2::text[]))
         ORDER BY id`,
  params: [tenantId, refs],
});

/** The citation's receipt: no row back when this source was counted before. */
export const insertLearnedSource = (tenantId: string, source: string, articleIds: string[]): Statement => ({
  sql: `WITH claimed AS (INSERT INTO kb_learned_sources (tenant_id, source, article_ids) VALUES ($1, $2, $3::uuid[]) ON CONFLICT (tenant_id, source) DO NOTHING RETURNING source) SELECT * FROM claimed`,
  params: [tenantId, source, articleIds],
});

/**
 * Each distinct word (lexeme in the articles' text search configurations) of the text adds 1 to
 * its evidence for each article; what was there decays first by its age (halving every
 * `halfLifeDays`). Lexemes in a stable order so that two citations lock rows alike.
 */
export const addLearnedEvidence = (tenantId: string, articleIds: string[], configs: string[], text: string, halfLifeDays: number): Statement => ({
  sql: `WITH added AS (INSERT INTO kb_learned_terms AS l (tenant_id, lexeme, article_id, weight, updated_at)
        SELECT $1, w.lexeme, a.id, 1, now()
          FROM (SELECT lexeme FROM (SELECT DISTINCT u.lexeme FROM unnest($3::regconfig[]) cfg, unnest(to_tsvector(cfg, left($4, 8000))) u
                                    WHERE char_length(u.lexeme) BETWEEN 2 AND 40) d
                 ORDER BY lexeme LIMIT ${LEARNED_WORDS_MAX}) w,
               unnest($2::uuid[]) a (id)
         ORDER BY w.lexeme, a.id
        ON CONFLICT (tenant_id, lexeme, article_id) DO UPDATE
          SET weight = l.weight * power(0.5, extract(epoch FROM now() - l.updated_at) / (86400 * $5::float8)) + 1, updated_at = now()
        RETURNING lexeme) SELECT * FROM added`,
  params: [tenantId, articleIds, configs, text, halfLifeDays],
});

export interface LearnedTermView {
  /** The word as stored: a lexeme of the article's text search configuration ("password" → `password`, "billing" → `bill`). */
  lexeme: string;
  /** Its evidence today: each citation added 1, halving every half-life since. */
  weight: number;
  updatedAt: string;
}

/** An article's learned words, strongest first, each weight decayed to now. */
export const selectLearnedTerms = (tenantId: string, articleId: string, halfLifeDays: number, limit: number): Statement => ({
  sql: `SELECT lexeme, round((weight * power(0.5, extract(epoch FROM now() - updated_at) / (86400 * $3::float8)))::numeric, 4)::float8 AS weight,
               to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
          FROM kb_learned_terms
         WHERE tenant_id = $1 AND article_id = $2
         ORDER BY weight * power(0.5, extract(epoch FROM now() - updated_at) / (86400 * $3::float8)) DESC, lexeme
         LIMIT $4::int`,
  params: [tenantId, articleId, halfLifeDays, limit],
});

/** Forgets one learned word of an article, or all of them (lexeme null); the forgotten words back. */
export const deleteLearnedTerms = (tenantId: string, articleId: string, lexeme: string | null): Statement => ({
  sql: `WITH gone AS (DELETE FROM kb_learned_terms WHERE tenant_id = $1 AND article_id = $2 AND ($3::text IS NULL OR lexeme = $3::text) RETURNING lexeme) SELECT lexeme FROM gone`,
  params: [tenantId, articleId, lexeme],
});
