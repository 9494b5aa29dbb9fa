import { join } from 'node:path';
import { createSafeFetch, type AppConfig } from '@switchboard/platform';
import type { AiGatewayConfig } from '../ai-gateway.context';
import type { EmbeddingsProvider } from './embeddings.port';
import { LocalEmbeddingsProvider } from './local/local-embeddings.provider';
import { OpenAiEmbeddingsProvider } from './openai/openai-embeddings.provider';

/** Where the local embedder's prepared word table lives. */
export function embeddingsCacheDir(config: Pick<AppConfig, 'DATA_DIR'> & Pick<AiGatewayConfig, 'EMBEDDINGS_CACHE_DIR'>): string {
  return config.EMBEDDINGS_CACHE_DIR ?? join(config.DATA_DIR, 'models');
}

/** The provider the configuration names. */
export function createEmbeddingsProvider(config: AiGatewayConfig & Pick<AppConfig, 'DATA_DIR'>, log: (message: string) => void = () => undefined): EmbeddingsProvider {
  switch (config.EMBEDDINGS_PROVIDER) {
    case 'local':
    case 'local-lexical':
      return new LocalEmbeddingsProvider({
        cacheDir: embeddingsCacheDir(config),
        semanticWeight: config.EMBEDDINGS_PROVIDER === 'local-lexical' ? 0 : undefined,
        onConvert: log,
      });
    case 'openai':
      if (!config.EMBEDDINGS_BASE_URL) throw new Error('EMBEDDINGS_BASE_URL is required when EMBEDDINGS_PROVIDER=openai');
      return new OpenAiEmbeddingsProvider({
        baseURL: config.EMBEDDINGS_BASE_URL,
        apiKey: config.EMBEDDINGS_API_KEY,
        model: config.EMBEDDINGS_MODEL,
        dimensions: config.EMBEDDINGS_DIMENSIONS,
        requestDimensions: config.EMBEDDINGS_REQUEST_DIMENSIONS,
        batchSize: config.EMBEDDINGS_BATCH_SIZE,
        timeoutMs: config.EMBEDDINGS_TIMEOUT_MS,
        maxRetries: config.EMBEDDINGS_MAX_RETRIES,
        // The endpoint is the operator's own setting, often a model server on its network, so
        // private addresses pass; it still resolves once, follows no redirect and caps answers.
        fetch: createSafeFetch({ allowPrivate: true }),
      });
  }
}
