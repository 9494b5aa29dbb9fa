import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The knowledge base's nearest-neighbour index searches a smaller vector (docs/adr/0068-kb-vector-search-prefix.md).
 *
 * - `kb_chunks.embedding_search`: the first 100 dimensions of `embedding` as `halfvec(100)`, a
 *   stored generated column (existing rows get it from this migration, nothing is re-embedded).
 *   For the local embedder these are its word-vector dimensions, unit length together; the 284
 *   hashed character n-gram dimensions after them stay in `embedding` and re-rank the candidates.
 * - `kb_chunks_embedding_search_hnsw`: HNSW (halfvec cosine) on it, about a quarter of the size
 *   of the 384-d index, so it stays in PostgreSQL's buffer cache.
 * - `kb_chunks_embedding_hnsw` (the whole vector) now holds only the chunks of embedders other
 *   than `local` (a partial index): providers without a search prefix (OpenAI-compatible
 *   endpoints, `local-lexical`) keep searching it as before, and the local embedder's chunks no
 *   longer pay for a second graph.
 *
 * Changing the embedding dimensions (another provider) stays a migration that alters
 * `embedding` to `vector(N)`; `embedding_search` has to be dropped first and added again with
 * `subvector(embedding, 1, K)` for K ≤ N (K = 100 while the local embedder is used), then
 * `npm run kb:reindex`.
 */
export class KbVectorSearchPrefix1765191600000 implements MigrationInterface {
  name = 'KbVectorSearchPrefix1765191600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE kb_chunks ADD COLUMN embedding_search halfvec(100) GENERATED ALWAYS AS (subvector(embedding, 1, 100)::halfvec(100)) STORED`);
    await q.query(`CREATE INDEX kb_chunks_embedding_search_hnsw ON kb_chunks USING hnsw (embedding_search halfvec_cosine_ops) WITH (m = 16, ef_construction = 64)`);
    await q.query(`DROP INDEX kb_chunks_embedding_hnsw`);
    await q.query(`CREATE INDEX kb_chunks_embedding_hnsw ON kb_chunks USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64) WHERE embedder NOT LIKE 'local:%'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX kb_chunks_embedding_hnsw`);
    await q.query(`CREATE INDEX kb_chunks_embedding_hnsw ON kb_chunks USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`);
    await q.query(`DROP INDEX kb_chunks_embedding_search_hnsw`);
    await q.query(`ALTER TABLE kb_chunks DROP COLUMN embedding_search`);
  }
}
