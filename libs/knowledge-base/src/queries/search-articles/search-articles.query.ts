import { Query } from '@nestjs/cqrs';
import type { RerankWeights } from './search-sql';

export type SearchMode = 'hybrid' | 'lexical' | 'dense';

export interface SearchArticlesInput {
  tenantId: string;
  q: string;
  locale?: string;
  /** agent: published articles of every visibility; public: published public articles only. */
  audience: 'agent' | 'public';
  mode?: SearchMode;
  limit?: number;
  categoryId?: string;
  tags?: string[];
  /** The text's vector when the caller has embedded it already (null: embedding failed); internal, not on any DTO. */
  vector?: Float32Array | null;
  /** Internal (evaluation), not on any DTO: rerank weights other than the product's, or null for fusion alone. */
  rerank?: RerankWeights | null;
  /** Internal (evaluation): return each result's rerank features. */
  features?: boolean;
}

export interface SearchResult {
  articleId: string;
  title: string;
  slug: string;
  locale: string;
  chunkId: string;
  heading: string;
  /** HTML-escaped text with matched terms wrapped in <mark>…</mark>. */
  snippet: string;
  /** Relevance score (higher is better); comparable within one response only. */
  score: number;
  /** Only when asked for (evaluation): the rerank's features. */
  features?: Record<keyof RerankWeights, number>;
}

export interface SearchResults {
  results: SearchResult[];
}

/** Hybrid (full text + vector) search over published articles of one tenant, best first. */
export class SearchArticlesQuery extends Query<SearchResults> {
  constructor(readonly input: SearchArticlesInput) {
    super();
  }
}
