import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { QuestionTerm } from '../commands/answer-question/coverage';
import { textSearchConfig } from '../domain/locale';
import {
  deleteChunks,
  insertChunks,
  selectAnswerCandidates,
  selectQuestionTerms,
  selectArticleChunkHashes,
  selectArticleVersionForUpdate,
  selectChunkTexts,
  selectIndexedArticle,
  selectReceipt,
  selectVectorDimensions,
  selectVocabulary,
  STORED_DIMENSIONS,
  toAnswerCandidate,
  toIndexedArticle,
  updateIndexedVersion,
  updateKeptChunks,
  type AnswerCandidate,
  type AnswerCandidatesInput,
  type IndexedArticle,
  type NewChunk,
} from './chunks.sql';
import { rowsOf } from './statement';

let storedDimensions: number | undefined;

/** A chunk already in the index: enough to tell whether its vector can be reused. */
export interface StoredChunk {
  id: string;
  contentHash: string;
  embedder: string;
}

/** How indexing changes an article's chunks (decided by ArticleIndexer). */
export interface ChunkReplacement {
  /** The article as it was read, or undefined when it no longer exists. */
  article: IndexedArticle | undefined;
  /** Chunks that keep their row and vector, at their new ordinal. */
  kept: { id: string; ordinal: number }[];
  /** Chunks to insert, embedded with `embedder`. */
  fresh: NewChunk[];
  removed: string[];
  embedder: string;
}

/**
 * The search index of articles: chunks with their vectors (SQL in `chunks.sql.ts`). Used by
 * ArticleIndexer to replace an article's chunks and by answers to read candidate passages; every
 * method runs in the caller's transaction.
 */
@Injectable()
export class ChunksRepository {
  /** The dimension of `kb_chunks.embedding` in this database (read once per process: migrations change it, not requests). */
  async vectorDimensions(tx: TenantTx): Promise<number> {
    if (storedDimensions === undefined) {
      const [row] = await rowsOf<{ dims: number }>(tx, selectVectorDimensions());
      storedDimensions = row?.dims ?? STORED_DIMENSIONS;
    }
    return storedDimensions;
  }

  /** The dimension once `vectorDimensions` has read it, without a statement. */
  knownVectorDimensions(): number | undefined {
    return storedDimensions;
  }

  /** Whether the consumer's receipt for the event is already committed. */
  async receiptExists(tx: TenantTx, consumer: string, eventId: string): Promise<boolean> {
    return (await rowsOf(tx, selectReceipt(tx.tenantId, consumer, eventId))).length > 0;
  }

  async findArticle(tx: TenantTx, articleId: string): Promise<IndexedArticle | undefined> {
    const [row] = await rowsOf(tx, selectIndexedArticle(tx.tenantId, articleId));
    return row ? toIndexedArticle(row) : undefined;
  }

  async chunksOf(tx: TenantTx, articleId: string): Promise<StoredChunk[]> {
    const rows = await rowsOf<{ id: string; content_hash: string; embedder: string }>(tx, selectArticleChunkHashes(tx.tenantId, articleId));
    return rows.map((r) => ({ id: r.id, contentHash: r.content_hash, embedder: r.embedder }));
  }

  /** The article's current version (null when it is gone), its row locked until the transaction ends. */
  async lockArticleVersion(tx: TenantTx, articleId: string): Promise<number | null> {
    const [row] = await rowsOf<{ version: number }>(tx, selectArticleVersionForUpdate(tx.tenantId, articleId));
    return row?.version ?? null;
  }

  /** Removes, updates and inserts the article's chunks as decided, then records the version indexed. */
  async replace(tx: TenantTx, articleId: string, change: ChunkReplacement): Promise<void> {
    const { article, kept, fresh, removed } = change;
    if (removed.length > 0) await rowsOf(tx, deleteChunks(tx.tenantId, removed));
    if (!article) return;
    if (kept.length > 0) await rowsOf(tx, updateKeptChunks(tx.tenantId, article, kept));
    if (fresh.length > 0) await rowsOf(tx, insertChunks(tx.tenantId, articleId, article, textSearchConfig(article.locale), change.embedder, fresh));
    await rowsOf(tx, updateIndexedVersion(tx.tenantId, articleId));
  }

  /** The chunks' text, in no particular order; chunks of unpublished (or, for the public, internal) articles are left out. */
  async texts(tx: TenantTx, ids: string[], audience: 'agent' | 'public'): Promise<{ id: string; articleId: string; heading: string; content: string }[]> {
    const rows = await rowsOf<{ id: string; article_id: string; heading: string; content: string }>(tx, selectChunkTexts(tx.tenantId, ids, audience));
    return rows.map((r) => ({ id: r.id, articleId: r.article_id, heading: r.heading, content: r.content }));
  }

  /** Candidate passages for an answer (see selectAnswerCandidates). */
  async answerCandidates(tx: TenantTx, input: AnswerCandidatesInput): Promise<AnswerCandidate[]> {
    return (await rowsOf(tx, selectAnswerCandidates(tx.tenantId, input))).map(toAnswerCandidate);
  }

  /** The lexemes of the tenant's indexed chunks. */
  async vocabulary(tx: TenantTx): Promise<string[]> {
    return (await rowsOf<{ lexeme: string }>(tx, selectVocabulary(tx.tenantId))).map((r) => r.lexeme);
  }

  /** The question's words with their rarity and whether the passages hold them, and the tenant's chunk count (see selectQuestionTerms). */
  async questionTerms(tx: TenantTx, question: string, chunkIds: string[], configs: readonly string[]): Promise<{ terms: QuestionTerm[]; chunks: number }> {
    const rows = await rowsOf<{ lexeme: string; df: number; nearest: string[] | null; in_passages: boolean; chunks: number }>(tx, selectQuestionTerms(tx.tenantId, question, chunkIds, configs));
    return {
      terms: rows.map((r) => ({ lexeme: r.lexeme, df: Number(r.df), nearest: r.nearest ?? [], inPassages: r.in_passages === true })),
      chunks: Number(rows[0]?.chunks ?? 0),
    };
  }
}
