import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { QuestionTerm, QuestionWord } from '../commands/answer-question/coverage';
import { textSearchConfig } from '../domain/locale';
import {
  deleteChunks,
  insertChunks,
  selectAnswerCandidates,
  selectQuestionTerms,
  selectQuestionWords,
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

let storedDimensions: { dims: number; searchDims: number | null } | undefined;

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
    return (await this.storedDimensions(tx)).dims;
  }

  /** The dimensions of `kb_chunks.embedding_search`, the prefix the search index holds (null without one; ADR 0068). */
  async searchDimensions(tx: TenantTx): Promise<number | null> {
    return (await this.storedDimensions(tx)).searchDims;
  }

  /** Both dimensions once read, without a statement. */
  knownDimensions(): { dims: number; searchDims: number | null } | undefined {
    return storedDimensions;
  }

  private async storedDimensions(tx: TenantTx): Promise<{ dims: number; searchDims: number | null }> {
    if (storedDimensions === undefined) {
      const [row] = await rowsOf<{ dims: number | null; search_dims: number | null }>(tx, selectVectorDimensions());
      storedDimensions = { dims: row?.dims ?? STORED_DIMENSIONS, searchDims: row?.search_dims ?? null };
    }
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
  async questionTerms(tx: TenantTx, question: string, passages: { chunkIds: string[]; articleIds: string[] }, configs: readonly string[], grams: readonly string[]): Promise<{ terms: QuestionTerm[]; chunks: number }> {
    const rows = await rowsOf<{
      lexeme: string;
      df: number;
      nearest: string[] | null;
      nearest_similarity: number[] | null;
      nearest_df: number[] | null;
      nearest_in_passages: boolean[] | null;
      in_passages: boolean;
      in_articles: boolean;
      synonym_df: number | null;
      synonym_in_passages: boolean | null;
      learned: boolean;
      learned_in_passages: boolean;
      chunks: number;
    }>(tx, selectQuestionTerms(tx.tenantId, question, passages, configs, grams));
    return {
      terms: rows.map((r) => ({
        lexeme: r.lexeme,
        df: Number(r.df),
        nearest: (r.nearest ?? []).map((lexeme, i) => ({ lexeme, similarity: Number(r.nearest_similarity?.[i] ?? 0), df: Number(r.nearest_df?.[i] ?? 0), inPassages: r.nearest_in_passages?.[i] === true })),
        inPassages: r.in_passages === true,
        inArticles: r.in_articles === true,
        synonym: r.synonym_df !== null && Number(r.synonym_df) > 0 ? { df: Number(r.synonym_df), inPassages: r.synonym_in_passages === true } : null,
        learned: r.learned === true ? { inPassages: r.learned_in_passages === true } : null,
      })),
      chunks: Number(rows[0]?.chunks ?? 0),
    };
  }

  /** The question's words as typed, with what the passages' languages and others make of them (see selectQuestionWords). */
  async questionWords(tx: TenantTx, words: readonly { text: string; sentenceStart: boolean }[], configs: readonly string[], otherConfigs: readonly string[]): Promise<QuestionWord[]> {
    if (words.length === 0) return [];
    const rows = await rowsOf<{ position: number; own_stop: boolean; other_stop: boolean; lexemes: string[] | null }>(tx, selectQuestionWords(words.map((w) => w.text), configs, otherConfigs));
    return rows.map((r) => ({ ...words[Number(r.position)]!, ownStop: r.own_stop === true, otherStop: r.other_stop === true, lexemes: r.lexemes ?? [] }));
  }
}
