import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { CURRENT_TENANT, enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Knowledge base: categories → sections → articles per locale, immutable revisions, visitor
 * feedback, slug redirects, and the search chunks (full text + 384-d vectors).
 *
 * Changing the embedding dimensions is a new migration that alters `kb_chunks.embedding` to
 * `vector(N)` (dropping and recreating `kb_chunks_embedding_hnsw`), followed by `npm run kb:reindex`.
 */
export class KnowledgeBase1763812800000 implements MigrationInterface {
  name = 'KnowledgeBase1763812800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE kb_categories (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      locale text NOT NULL CHECK (char_length(locale) BETWEEN 2 AND 35),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      description text CHECK (char_length(description) <= 2000),
      position int NOT NULL DEFAULT 0,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX kb_categories_order ON kb_categories (tenant_id, locale, position, id)`);
    await enableTenantRls(q, 'kb_categories');

    await q.query(`CREATE TABLE kb_sections (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      category_id uuid NOT NULL,
      locale text NOT NULL,
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      description text CHECK (char_length(description) <= 2000),
      position int NOT NULL DEFAULT 0,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, category_id) REFERENCES kb_categories (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX kb_sections_category ON kb_sections (tenant_id, category_id, position, id)`);
    await enableTenantRls(q, 'kb_sections');

    await q.query(`CREATE TABLE kb_articles (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      section_id uuid NOT NULL,
      category_id uuid NOT NULL,
      locale text NOT NULL,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 120),
      body text NOT NULL,
      body_html text NOT NULL,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
      visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
      tags text[] NOT NULL DEFAULT '{}',
      author_id text,
      position int NOT NULL DEFAULT 0,
      published_at timestamptz(3),
      ever_published boolean NOT NULL DEFAULT false,
      helpful_count int NOT NULL DEFAULT 0,
      unhelpful_count int NOT NULL DEFAULT 0,
      indexed_version int,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, locale, slug),
      FOREIGN KEY (tenant_id, section_id) REFERENCES kb_sections (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX kb_articles_section ON kb_articles (tenant_id, section_id, position, id)`);
    await q.query(`CREATE INDEX kb_articles_updated ON kb_articles (tenant_id, updated_at DESC, id DESC)`);
    await enableTenantRls(q, 'kb_articles');

    // Old slugs of published articles keep answering (301 to the current one).
    await q.query(`CREATE TABLE kb_slug_redirects (
      tenant_id uuid NOT NULL,
      locale text NOT NULL,
      slug text NOT NULL,
      article_id uuid NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, locale, slug),
      FOREIGN KEY (tenant_id, article_id) REFERENCES kb_articles (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantRls(q, 'kb_slug_redirects', ['SELECT', 'INSERT', 'DELETE']);

    await q.query(`CREATE TABLE kb_article_revisions (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      article_id uuid NOT NULL,
      number int NOT NULL,
      title text NOT NULL,
      slug text NOT NULL,
      body text NOT NULL,
      visibility text NOT NULL,
      tags text[] NOT NULL,
      section_id uuid NOT NULL,
      summary jsonb NOT NULL DEFAULT '{}',
      restored_from uuid,
      actor_type text NOT NULL,
      actor_id text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, article_id, number),
      FOREIGN KEY (tenant_id, article_id) REFERENCES kb_articles (tenant_id, id) ON DELETE CASCADE
    )`);
    // Revisions are immutable: the application role may read and append, never change.
    await enableTenantRls(q, 'kb_article_revisions', ['SELECT', 'INSERT']);

    await q.query(`CREATE TABLE kb_article_feedback (
      tenant_id uuid NOT NULL,
      article_id uuid NOT NULL,
      visitor_key text NOT NULL,
      helpful boolean NOT NULL,
      comment text CHECK (char_length(comment) <= 2000),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, article_id, visitor_key),
      FOREIGN KEY (tenant_id, article_id) REFERENCES kb_articles (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantRls(q, 'kb_article_feedback', ['SELECT', 'INSERT', 'UPDATE']);

    // Search chunks carry the filter columns of their article, so the vector and the full-text
    // paths each scan one table with every filter applied inside the scan.
    await q.query(`CREATE TABLE kb_chunks (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      article_id uuid NOT NULL,
      ordinal int NOT NULL,
      locale text NOT NULL,
      visibility text NOT NULL,
      category_id uuid NOT NULL,
      section_id uuid NOT NULL,
      tags text[] NOT NULL DEFAULT '{}',
      heading text NOT NULL DEFAULT '',
      content text NOT NULL,
      content_hash text NOT NULL,
      ts_config regconfig NOT NULL,
      tsv tsvector NOT NULL,
      embedding vector(384) NOT NULL,
      embedder text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, article_id) REFERENCES kb_articles (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX kb_chunks_article ON kb_chunks (tenant_id, article_id, ordinal)`);
    await q.query(`CREATE INDEX kb_chunks_tsv ON kb_chunks USING gin (tsv)`);
    await q.query(`CREATE INDEX kb_chunks_embedding_hnsw ON kb_chunks USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`);
    await enableTenantRls(q, 'kb_chunks');

    // The full-text candidates of the current tenant. Under row-level security PostgreSQL will not
    // use the GIN index for `@@` (the operator is not leakproof, so it may only run after the
    // policy), which turns every search into a scan of the tenant's chunks. This function runs as
    // the table owner and applies the policy's own predicate (the tenant pinned by the
    // transaction, nothing when none is), so the index is used and isolation is unchanged.
    await q.query(`CREATE FUNCTION kb_lexical_candidates(query tsquery, p_locale text, p_category uuid, p_tags text[], p_public_only boolean, p_limit int)
      RETURNS TABLE (id uuid, article_id uuid, r bigint)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
        SELECT c.id, c.article_id, row_number() OVER (ORDER BY ts_rank_cd(c.tsv, query) DESC, c.id) AS r
          FROM kb_chunks c
         WHERE c.tenant_id = ${CURRENT_TENANT}
           AND c.tsv @@ query
           AND (p_locale IS NULL OR c.locale = p_locale)
           AND (p_category IS NULL OR c.category_id = p_category)
           AND (p_tags IS NULL OR c.tags @> p_tags)
           AND (NOT p_public_only OR c.visibility = 'public')
         ORDER BY r
         LIMIT p_limit
      $fn$`);
    await q.query(`REVOKE ALL ON FUNCTION kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int) TO ${APP_DB_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int)`);
    for (const t of ['kb_chunks', 'kb_article_feedback', 'kb_article_revisions', 'kb_slug_redirects', 'kb_articles', 'kb_sections', 'kb_categories']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
