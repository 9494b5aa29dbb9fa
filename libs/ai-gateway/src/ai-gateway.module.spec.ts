import { Test } from '@nestjs/testing';
import { loadConfig } from '@switchboard/platform';
import { SHARED_EMBEDDINGS_CACHE_DIR } from '../../../test/support/embeddings';
import { aiGatewayContext } from './ai-gateway.context';
import { AiGatewayModule } from './ai-gateway.module';
import { EMBEDDINGS_PROVIDER, type EmbeddingsProvider } from './embeddings/embeddings.port';
import { LocalEmbeddingsProvider } from './embeddings/local/local-embeddings.provider';
import { OpenAiEmbeddingsProvider } from './embeddings/openai/openai-embeddings.provider';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379', EMBEDDINGS_CACHE_DIR: SHARED_EMBEDDINGS_CACHE_DIR };

async function providerFor(env: Record<string, string>): Promise<EmbeddingsProvider> {
  const moduleRef = await Test.createTestingModule({ imports: [AiGatewayModule.forRoot(loadConfig({ ...base, ...env }, [aiGatewayContext]))] }).compile();
  return moduleRef.get<EmbeddingsProvider>(EMBEDDINGS_PROVIDER);
}

describe('AiGatewayModule', () => {
  it('provides the local embedder by default, and it embeds', async () => {
    const provider = await providerFor({});
    expect(provider).toBeInstanceOf(LocalEmbeddingsProvider);
    expect(provider).toMatchObject({ id: 'local', dimensions: 384 });
    const [vector] = await provider.embed(['Where is my invoice?']);
    expect(vector).toHaveLength(384);
  }, 120_000);

  it('provides the lexical-only variant and the openai provider from configuration', async () => {
    expect((await providerFor({ EMBEDDINGS_PROVIDER: 'local-lexical' })).id).toBe('local-lexical');
    const openai = await providerFor({ EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_BASE_URL: 'http://127.0.0.1:9/v1', EMBEDDINGS_MODEL: 'm', EMBEDDINGS_DIMENSIONS: '8' });
    expect(openai).toBeInstanceOf(OpenAiEmbeddingsProvider);
    expect(openai).toMatchObject({ id: 'openai', model: 'm', dimensions: 8 });
  });
});
