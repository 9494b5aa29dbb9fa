import { Inject, Injectable, Logger } from '@nestjs/common';
import { EMBEDDINGS_PROVIDER, type EmbeddingsProvider } from '@switchboard/ai-gateway';
import { EventConsumer, TenantTransaction, type EventEnvelope, type TenantTx } from '@switchboard/platform';
import { chunkArticle, type Chunk } from '../domain/chunker';
import { ChunksRepository } from '../repositories/chunks.repository';
import { toVectorLiteral } from '../repositories/chunks.sql';

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

class ArticleMoved extends Error {}

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
    private readonly chunks: ChunksRepository,
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
        const dims = await this.chunks.vectorDimensions(tx);
        if (this.provider.dimensions !== dims) {
          throw new Error(
            `The embeddings provider ${this.embedderId} makes ${this.provider.dimensions}-d vectors but kb_chunks.embedding is vector(${dims}): migrate the column (see the knowledge-base migration), then run npm run kb:reindex.`,
          );
        }
        const searchDims = this.provider.searchDimensions;
        if (searchDims !== undefined && (await this.chunks.searchDimensions(tx)) !== searchDims) {
          throw new Error(
            `The embeddings provider ${this.embedderId} is searched on its first ${searchDims} dimensions but kb_chunks.embedding_search is not halfvec(${searchDims}): migrate the column (see the kb-vector-search-prefix migration), then run npm run kb:reindex.`,
          );
        }
        if (event && (await this.chunks.receiptExists(tx, consumerName, event.id))) return null;
        const article = await this.chunks.findArticle(tx, articleId);
        const existing = await this.chunks.chunksOf(tx, articleId);
        return { article, existing };
      });
      if (read === null) return { articleId, chunks: 0, embedded: 0, reused: 0, removed: 0, version: null, duplicate: true };
      const { article, existing } = read;
      const wanted: Chunk[] = article && article.status === 'published' ? chunkArticle(article.title, article.body) : [];

      // Reuse vectors of unchanged chunks (same text, same embedder); embed the rest.
      const reusable = new Map<string, string[]>();
      for (const row of existing) if (row.embedder === this.embedderId) reusable.set(row.contentHash, [...(reusable.get(row.contentHash) ?? []), row.id]);
      const kept: { id: string; chunk: Chunk }[] = [];
      const fresh: Chunk[] = [];
      for (const chunk of wanted) {
        const id = reusable.get(chunk.hash)?.shift();
        if (id) kept.push({ id, chunk });
        else fresh.push(chunk);
      }
      const vectors: Float32Array[] = [];
      for (let i = 0; i < fresh.length; i += EMBED_BATCH) vectors.push(...(await this.provider.embed(fresh.slice(i, i + EMBED_BATCH).map((c) => c.embeddingText), { tenantId })));
      const keptIds = new Set(kept.map((k) => k.id));
      const removed = existing.filter((e) => !keptIds.has(e.id)).map((e) => e.id);

      const write = async (tx: TenantTx) => {
        if ((await this.chunks.lockArticleVersion(tx, articleId)) !== (article?.version ?? null)) throw new ArticleMoved();
        await this.chunks.replace(tx, articleId, {
          article,
          kept: kept.map(({ id, chunk }) => ({ id, ordinal: chunk.ordinal })),
          fresh: fresh.map((c, i) => ({ ordinal: c.ordinal, heading: c.heading, content: c.content, hash: c.hash, embedding: toVectorLiteral(vectors[i]!) })),
          removed,
          embedder: this.embedderId,
        });
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
}
