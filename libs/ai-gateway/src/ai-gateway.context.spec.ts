import { ConfigError, loadConfig } from '@switchboard/platform';
import { aiGatewayContext, type AiGatewayConfig } from './ai-gateway.context';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };
const load = (env: Record<string, string> = {}) => loadConfig({ ...valid, ...env }, [aiGatewayContext]) as ReturnType<typeof loadConfig> & AiGatewayConfig;

/** The gateway's configuration slice, validated by the platform together with every other context's. */
describe('aiGatewayConfig', () => {
  it('configures embeddings: local by default, openai only with a base URL', () => {
    expect(load()).toMatchObject({ EMBEDDINGS_PROVIDER: 'local', EMBEDDINGS_DIMENSIONS: 384, EMBEDDINGS_BATCH_SIZE: 64, EMBEDDINGS_MAX_RETRIES: 3 });
    expect(() => load({ EMBEDDINGS_PROVIDER: 'openai' })).toThrow(/EMBEDDINGS_BASE_URL: is required when EMBEDDINGS_PROVIDER=openai/);
    expect(() => load({ EMBEDDINGS_PROVIDER: 'cohere' })).toThrow(/EMBEDDINGS_PROVIDER: /);
    expect(() => load({ EMBEDDINGS_BASE_URL: 'ftp://x/v1' })).toThrow(/EMBEDDINGS_BASE_URL: expected an http/);
    const openai = load({ EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_BASE_URL: 'http://127.0.0.1:9/v1', EMBEDDINGS_DIMENSIONS: '1536', EMBEDDINGS_REQUEST_DIMENSIONS: 'false' });
    expect(openai).toMatchObject({ EMBEDDINGS_DIMENSIONS: 1536, EMBEDDINGS_REQUEST_DIMENSIONS: false });
  });

  it('applies the chat defaults and parses keys, prices and switches', () => {
    expect(load()).toMatchObject({ AI_TIMEOUT_MS: 60_000, AI_MAX_ATTEMPTS: 3, AI_MAX_PROMPT_TOKENS: 32_000, AI_ASSIST_CONVERSATION_TOKENS: 6_000, AI_SETTINGS_CACHE_TTL_MS: 60_000, AI_USAGE_FLUSH_MS: 200, AI_ALLOW_PRIVATE_BASE_URLS: false });
    const key = Buffer.alloc(32, 7).toString('base64');
    const parsed = load({ AI_ENCRYPTION_KEYS: ` k1:${key} , k0:${key}`, AI_PRICES: '{"m":{"input":1,"output":2}}', AI_ALLOW_PRIVATE_BASE_URLS: '1' });
    expect(parsed).toMatchObject({ AI_ENCRYPTION_KEYS: [`k1:${key}`, `k0:${key}`], AI_PRICES: { m: { input: 1, output: 2 } }, AI_ALLOW_PRIVATE_BASE_URLS: true });
  });

  it('names each bad AI_ variable with the same messages as before the move', () => {
    try {
      load({ AI_ENCRYPTION_KEYS: 'k1:c2hvcnQ=', AI_PRICES: '{not json', AI_MAX_ATTEMPTS: '0', AI_USAGE_FLUSH_MS: 'soon' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^AI_ENCRYPTION_KEYS: each key must be 32 bytes/m);
      expect(problems).toMatch(/^AI_PRICES: expected JSON such as/m);
      expect(problems).toMatch(/^AI_MAX_ATTEMPTS: /m);
      expect(problems).toMatch(/^AI_USAGE_FLUSH_MS: /m);
    }
  });

  it('is not part of the platform: without the gateway context the variables are not read', () => {
    expect(loadConfig({ ...valid, EMBEDDINGS_PROVIDER: 'cohere' })).not.toHaveProperty('EMBEDDINGS_PROVIDER');
  });
});
