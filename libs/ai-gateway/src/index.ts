export * from './embeddings/embeddings.port';
export { AiGatewayModule } from './ai-gateway.module';
export { createEmbeddingsProvider, embeddingsCacheDir } from './embeddings/create-embeddings-provider';
export { LocalEmbeddingsProvider, DEFAULT_SEMANTIC_WEIGHT, LOCAL_DIMENSIONS } from './embeddings/local/local-embeddings.provider';
export { loadWordVectorTable, WORD_TABLE_FILE } from './embeddings/local/word-vector-cache';
export { OpenAiEmbeddingsProvider, EmbeddingsProviderError } from './embeddings/openai/openai-embeddings.provider';
