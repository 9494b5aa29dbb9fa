import { Inject, Injectable, Logger } from '@nestjs/common';
import { EMBEDDINGS_PROVIDER, type EmbeddingsProvider } from '@switchboard/ai-gateway';
import { EventConsumer, TenantTransaction, type EventEnvelope, type TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { chunkArticle, type Chunk } from '../domain/chunker';
import { textSearchConfig } from '../domain/locale';

/** The dimension `kb_chunks.embedding` is created with; a provider with another needs a migration and a reindex. */
export const STORED_DIMENSIONS = 384;

let storedDimensions: number | undefined;

/** The dimension of `kb_chunks.embedding` in this database (read once: migrations change it, not requests). */
export async function vectorColumnDimensions(m: EntityManager): Promise<number> {
  if (storedDimensions === undefined) {
    const [row]: { dims: number }[] = await m.query(`SELECT atttypmod AS dims FROM pg_attribute WHERE attrelid = 'kb_chunks'::regclass AND attname = 'embedding'`);
    storedDimensions = row?.dims ?? STORED_DIMENSIONS;
  }
  return storedDimensions;
}

/** The dimension once `vectorColumnDimensions` has read it, without a statement. */
export function knownVectorColumnDimensions(): number | undefined {
  return storedDimensions;
}

const EMBED_BATCH = 64;
const MAX_ATTEMPTS = 5;

export interface IndexResult {
  articleId: string;
  /** Chunks the article has in the index now (0 when it is not published or no longer exists). */
  chunks: number;
  embedded: number;
  reused: number;
  removed: number;
  /** The article version the index now reflects, or null when it has no chunks. */
  version: number | null;
  /** True when a redelivered event had already been applied. */
  duplicate?: boolean;
}

interface ArticleSnapshot {
  version: number;
  status: string;
  title: string;
  body: string;
  locale: string;
  visibility: string;
  category_id: string;
  section_id: string;
  tags: string[];
}

class ArticleMoved extends Error {}

/** `pgvector` text form of a vector. */
export const toVectorLiteral = (v: Float32Array | readonly number[]) => `[${Array.from(v, (x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;

/** A text's vector if it has a direction to search in (a text with nothing the embedder knows — emoji, punctuation — has none). */
export function usableVector(v: Float32Array | null | undefined): Float32Array | null {
  let norm = 0;
  for (const x of v ?? []) norm += x * x;
  return v && Number.isFinite(norm) && norm > 1e-12 ? v : null;
}

/**
 * Makes an article's search chunks match its current state: chunked by headings and paragraphs,
 * only new or changed chunks embedded (by content hash and embedder), then all of the article's
 * chunks replaced in one transaction. It reads the article rather than trusting the event, so
 * events applied late or twice still converge; embedding happens outside any transaction (the
 * embedded database serialises all sessions), and the write re-checks the article version.
 */
@Injectable()
export class ArticleIndexer {
  private readonly logger = new Logger(ArticleIndexer.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly consumer: EventConsumer,
    @Inject(EMBEDDINGS_PROVIDER) private readonly provider: EmbeddingsProvider,
  ) {}

  get embedderId(): string {
    return `${this.provider.id}:${this.provider.model}:${this.provider.dimensions}`;
  }

  /** Indexes one article now; with an event, at most once for that event (receipt committed with the chunks). */
  async index(tenantId: string, articleId: string, event?: EventEnvelope<unknown>, consumerName = 'embeddings:kb.index-article'): Promise<IndexResult> {
    const context = { tenantId, actorId: event?.actorId ?? null, correlationId: event?.correlationId ?? null };
    for (let attempt = 1; ; attempt++) {
      const read = await this.tx.run(context, async (tx) => {
        const dims = await vectorColumnDimensions(tx.manager);
        if (this.provider.dimensions !== dims) {
          throw new Error(
            `The embeddings provider ${this.embedderId} makes ${this.provider.dimensions}-d vectors but kb_chunks.embedding is vector(${dims}): migrate the column (see the knowledge-base migration), then run npm run kb:reindex.`,
          );
        }
        if (event) {
          const seen: unknown[] = await tx.manager.query(`SELECT 1 FROM event_receipts WHERE tenant_id = $1 AND consumer = $2 AND event_id = $3`, [tenantId, consumerName, event.id]);
          if (seen.length > 0) return null;
        }
        const rows: ArticleSnapshot[] = await tx.manager.query(
          `SELECT version, status, title, body, locale, visibility, category_id, section_id, tags FROM kb_articles WHERE tenant_id = $1 AND id = $2`,
          [tenantId, articleId],
        );
        const existing: { id: string; content_hash: string; embedder: string }[] = await tx.manager.query(
          `SELECT id, content_hash, embedder FROM kb_chunks WHERE tenant_id = $1 AND article_id = $2`,
          [tenantId, articleId],
        );
        return { article: rows[0] as ArticleSnapshot | undefined, existing };
      });
      if (read === null) return { articleId, chunks: 0, embedded: 0, reused: 0, removed: 0, version: null, duplicate: true };
      const { article, existing } = read;
      const wanted: Chunk[] = article && article.status === 'published' ? chunkArticle(article.title, article.body) : [];

      // Reuse vectors of unchanged chunks (same text, same embedder); embed the rest.
      const reusable = new Map<string, string[]>();
      for (const row of existing) if (row.embedder === this.embedderId) reusable.set(row.content_hash, [...(reusable.get(row.content_hash) ?? []), row.id]);
      const kept: { id: string; chunk: Chunk }[] = [];
      const fresh: Chunk[] = [];
      for (const chunk of wanted) {
        const id = reusable.get(chunk.hash)?.shift();
        if (id) kept.push({ id, chunk });
        else fresh.push(chunk);
      }
      const vectors: Float32Array[] = [];
      for (let i = 0; i < fresh.length; i += EMBED_BATCH) vectors.push(...(await this.provider.embed(fresh.slice(i, i + EMBED_BATCH).map((c) => c.embeddingText))));
      const keptIds = new Set(kept.map((k) => k.id));
      const removed = existing.filter((e) => !keptIds.has(e.id)).map((e) => e.id);

      const write = async (tx: TenantTx) => {
        const current: { version: number }[] = await tx.manager.query(`SELECT version FROM kb_articles WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, articleId]);
        if ((current[0]?.version ?? null) !== (article?.version ?? null)) throw new ArticleMoved();
        await this.replace(tx, articleId, article, kept, fresh, vectors, removed);
      };
      try {
        if (event) {
          const applied = await this.consumer.once(consumerName, event, write);
          if (!applied) return { articleId, chunks: 0, embedded: 0, reused: 0, removed: 0, version: null, duplicate: true };
        } else {
          await this.tx.run(context, write);
        }
      } catch (error) {
        if (error instanceof ArticleMoved && attempt < MAX_ATTEMPTS) {
          this.logger.debug({ articleId, attempt }, 'Article changed while it was being embedded; indexing again');
          continue;
        }
        throw error;
      }
      return { articleId, chunks: wanted.length, embedded: fresh.length, reused: kept.length, removed: removed.length, version: wanted.length > 0 ? article!.version : null };
    }
  }

  private async replace(tx: TenantTx, articleId: string, article: ArticleSnapshot | undefined, kept: { id: string; chunk: Chunk }[], fresh: Chunk[], vectors: Float32Array[], removed: string[]): Promise<void> {
    const m = tx.manager;
    const tenantId = tx.tenantId;
    if (removed.length > 0) await m.query(`DELETE FROM kb_chunks WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, removed]);
    if (!article) return;
    if (kept.length > 0) {
      // Unchanged text keeps its vector; ordinal and the article's filter columns may still move.
      await m.query(
        `UPDATE kb_chunks c SET ordinal = k.ordinal, visibility = $3, category_id = $4, section_id = $5, tags = $6
           FROM unnest($2::uuid[], $7::int[]) AS k(id, ordinal)
          WHERE c.tenant_id = $1 AND c.id = k.id`,
        [tenantId, kept.map((k) => k.id), article.visibility, article.category_id, article.section_id, article.tags, kept.map((k) => k.chunk.ordinal)],
      );
    }
    if (fresh.length > 0) {
      const config = textSearchConfig(article.locale);
      await m.query(
        `INSERT INTO kb_chunks (tenant_id, article_id, ordinal, locale, visibility, category_id, section_id, tags, heading, content, content_hash, ts_config, tsv, embedding, embedder)
         SELECT $1, $2, n.ordinal, $3, $4, $5, $6, $7, n.heading, n.content, n.hash, $8::regconfig,
                setweight(to_tsvector($8::regconfig, $9), 'A') || setweight(to_tsvector($8::regconfig, n.heading), 'B') || setweight(to_tsvector($8::regconfig, n.content), 'C'),
                n.embedding::vector, $10
           FROM unnest($11::int[], $12::text[], $13::text[], $14::text[], $15::text[]) AS n(ordinal, heading, content, hash, embedding)`,
        [
          tenantId,
          articleId,
          article.locale,
          article.visibility,
          article.category_id,
          article.section_id,
          article.tags,
          config,
          article.title,
          this.embedderId,
          fresh.map((c) => c.ordinal),
          fresh.map((c) => c.heading),
          fresh.map((c) => c.content),
          fresh.map((c) => c.hash),
          vectors.map(toVectorLiteral),
        ],
      );
    }
    await m.query(`UPDATE kb_articles SET indexed_version = CASE WHEN status = 'published' THEN version END WHERE tenant_id = $1 AND id = $2`, [tenantId, articleId]);
  }
}
