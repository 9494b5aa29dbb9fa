import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { InvalidationBus, TenantTransaction, type AppConfig } from '@switchboard/platform';
import type { AiGatewayConfig } from './ai-gateway.context';
import { createEmbeddingsProvider } from './embeddings/create-embeddings-provider';
import { EMBEDDINGS_PROVIDER, type EmbeddingsProvider } from './embeddings/embeddings.port';
import { LocalEmbeddingsProvider } from './embeddings/local/local-embeddings.provider';
import { RedactingEmbeddingsProvider } from './embeddings/redacting-embeddings';
import { WORD_NEIGHBOURS, WordNeighbours } from './embeddings/local/word-neighbours';

/**
 * The AI gateway's providers, configured once per process. Global, like PlatformModule: every
 * context that needs embeddings injects `EMBEDDINGS_PROVIDER` without importing this module.
 * The local embedder loads its word table on first use (and prepares it once per cache dir), so
 * processes that never embed pay nothing at boot.
 */
@Global()
@Module({})
export class AiGatewayModule {
  /** `config`: the configuration as loaded with the gateway's context (so it carries the gateway's slice). */
  static forRoot(config: AppConfig): DynamicModule {
    const logger = new Logger('AiGateway');
    const gateway = config as AppConfig & AiGatewayConfig;
    return {
      module: AiGatewayModule,
      providers: [
        {
          provide: EMBEDDINGS_PROVIDER,
          // A provider that sends text out applies each tenant's redaction (needs the platform's
          // database and cache invalidation, present in every app; a bare module gets the provider as is).
          useFactory: (tx?: TenantTransaction, bus?: InvalidationBus) => {
            const provider = createEmbeddingsProvider(gateway, (message) => logger.log(message));
            const sendsTextOut = provider.id !== 'local' && provider.id !== 'local-lexical';
            return sendsTextOut && tx && bus ? new RedactingEmbeddingsProvider(provider, tx, bus, gateway.AI_SETTINGS_CACHE_TTL_MS) : provider;
          },
          inject: [
            { token: TenantTransaction, optional: true },
            { token: InvalidationBus, optional: true },
          ],
        },
        {
          // Query expansion by word vectors (knowledge-base search) where the local embedder's
          // word table is there anyway (the embedder's own copy, one per process); another
          // provider's deployments get none.
          provide: WORD_NEIGHBOURS,
          useFactory: (embeddings: EmbeddingsProvider) =>
            gateway.EMBEDDINGS_PROVIDER === 'local' && embeddings instanceof LocalEmbeddingsProvider ? new WordNeighbours(() => embeddings.wordTable()) : null,
          inject: [EMBEDDINGS_PROVIDER],
        },
      ],
      exports: [EMBEDDINGS_PROVIDER, WORD_NEIGHBOURS],
    };
  }
}
