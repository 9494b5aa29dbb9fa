import { Query } from '@nestjs/cqrs';

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
  /** Reciprocal rank fusion score (higher is better); comparable within one response only. */
  score: number;
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
