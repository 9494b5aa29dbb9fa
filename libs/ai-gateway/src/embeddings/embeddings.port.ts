/**
 * The embeddings port: turns texts into unit-length vectors of a fixed dimension. The knowledge
 * base's pipeline and search depend on this interface only; providers (the offline `local`
 * embedder, any OpenAI-compatible `/v1/embeddings` endpoint) implement it.
 */
export interface EmbeddingsProvider {
  /** `local`, `openai`, … — stored next to each vector so a provider change is detectable. */
  readonly id: string;
  readonly model: string;
  readonly dimensions: number;
  /**
   * When set, the first `searchDimensions` dimensions of each vector are a search prefix: a vector
   * of their own (cosine between prefixes is meaningful) that nearest-neighbour indexes search, the
   * whole vector then re-ranking the candidates found. The local embedder's word-vector part is one;
   * unset: only the whole vector is meaningful.
   */
  readonly searchDimensions?: number;
  /** One unit-normalised vector per input text, in order. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  /**
   * Whose text this is: the provider injected as EMBEDDINGS_PROVIDER applies that tenant's
   * redaction settings before text leaves for a non-local endpoint, and refuses a call that does
   * not say (null: text of no tenant, e.g. an operator's evaluation set).
   */
  tenantId?: string | null;
}

/** Nest injection token for the configured EmbeddingsProvider. */
export const EMBEDDINGS_PROVIDER = Symbol('EMBEDDINGS_PROVIDER');
