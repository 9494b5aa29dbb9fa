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
  /** One unit-normalised vector per input text, in order. */
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}

/** Nest injection token for the configured EmbeddingsProvider. */
export const EMBEDDINGS_PROVIDER = Symbol('EMBEDDINGS_PROVIDER');
