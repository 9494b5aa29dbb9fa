import { ConfigError, loadConfig } from './load-config';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({ PORT: 3000, WORKER_PORT: 3001, DATA_DIR: '.data', LOG_LEVEL: 'info', BODY_LIMIT: 1024 * 1024 });
    expect(config.WORKER_QUEUES).toEqual(['outbox', 'platform', 'tenancy', 'tickets', 'realtime', 'embeddings']);
    expect(config).toMatchObject({ REALTIME_ADAPTER: 'redis', REALTIME_MAX_PAYLOAD_BYTES: 4096, REALTIME_EVENTS_PER_SECOND: 10, REALTIME_EVENT_BURST: 30, REALTIME_PRESENCE_TTL_MS: 30_000 });
    expect(() => loadConfig({ ...valid, REALTIME_ADAPTER: 'kafka' })).toThrow(/REALTIME_ADAPTER/);
  });

  it('names each missing or bad variable', () => {
    try {
      loadConfig({ PORT: '99999', BODY_LIMIT: 'lots' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^DATABASE_URL: is required$/m);
      expect(problems).toMatch(/^REDIS_URL: is required$/m);
      expect(problems).toMatch(/^PORT: /m);
      expect(problems).toMatch(/^BODY_LIMIT: expected a size/m);
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ...valid, PORT: '', LOG_LEVEL: '' }).PORT).toBe(3000);
  });

  it('parses sizes and queue selections', () => {
    const config = loadConfig({ ...valid, BODY_LIMIT: '512kb', WORKER_QUEUES: ' platform ' });
    expect(config.BODY_LIMIT).toBe(512 * 1024);
    expect(config.WORKER_QUEUES).toEqual(['platform']);
    expect(loadConfig({ ...valid, WORKER_QUEUES: 'all' }).WORKER_QUEUES).toEqual(['outbox', 'platform', 'tenancy', 'tickets', 'realtime', 'embeddings']);
  });

  it('rejects a non-postgres database URL', () => {
    expect(() => loadConfig({ ...valid, DATABASE_URL: 'mysql://x@y/z' })).toThrow(/DATABASE_URL: expected a postgres/);
  });

  it('configures embeddings: local by default, openai only with a base URL', () => {
    expect(loadConfig(valid)).toMatchObject({ EMBEDDINGS_PROVIDER: 'local', EMBEDDINGS_DIMENSIONS: 384, EMBEDDINGS_BATCH_SIZE: 64, EMBEDDINGS_MAX_RETRIES: 3 });
    expect(() => loadConfig({ ...valid, EMBEDDINGS_PROVIDER: 'openai' })).toThrow(/EMBEDDINGS_BASE_URL: is required when EMBEDDINGS_PROVIDER=openai/);
    expect(() => loadConfig({ ...valid, EMBEDDINGS_PROVIDER: 'cohere' })).toThrow(/EMBEDDINGS_PROVIDER: /);
    expect(() => loadConfig({ ...valid, EMBEDDINGS_BASE_URL: 'ftp://x/v1' })).toThrow(/EMBEDDINGS_BASE_URL: expected an http/);
    const openai = loadConfig({ ...valid, EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_BASE_URL: 'http://127.0.0.1:9/v1', EMBEDDINGS_DIMENSIONS: '1536', EMBEDDINGS_REQUEST_DIMENSIONS: 'false' });
    expect(openai).toMatchObject({ EMBEDDINGS_DIMENSIONS: 1536, EMBEDDINGS_REQUEST_DIMENSIONS: false });
  });

  it('configures knowledge-base answers: a passage budget below the prompt limit, the similarity line left to the embedder unless set', () => {
    expect(loadConfig(valid)).toMatchObject({ KB_ANSWER_CONTEXT_TOKENS: 2000, RATE_LIMIT_HELP_CENTER_ANSWER_PER_MINUTE: 10 });
    expect(loadConfig(valid).KB_ANSWER_MIN_SIMILARITY).toBeUndefined();
    expect(loadConfig({ ...valid, KB_ANSWER_MIN_SIMILARITY: '0.42' }).KB_ANSWER_MIN_SIMILARITY).toBe(0.42);
    expect(() => loadConfig({ ...valid, KB_ANSWER_MIN_SIMILARITY: '2' })).toThrow(/KB_ANSWER_MIN_SIMILARITY: /);
    expect(() => loadConfig({ ...valid, KB_ANSWER_CONTEXT_TOKENS: '40000' })).toThrow(/KB_ANSWER_CONTEXT_TOKENS: must be below AI_MAX_PROMPT_TOKENS \(32000\)/);
  });
});
