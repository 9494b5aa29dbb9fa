import { baseEnv, run } from '../support/processes';

/** A bad or missing value stops the process with a message naming the variable. */
describe('configuration', () => {
  const boot = async (app: 'api' | 'worker', overrides: Record<string, string | undefined>) => {
    const proc = run(process.execPath, [`dist/apps/${app}/src/main.js`], baseEnv({ PORT: '0', WORKER_PORT: '0', ...overrides }));
    const code = await proc.exited;
    return { code, output: proc.output() };
  };

  it('refuses to start the api without DATABASE_URL and names it', async () => {
    const { code, output } = await boot('api', { DATABASE_URL: undefined });
    expect(code).toBe(78);
    expect(output).toMatch(/DATABASE_URL: is required/);
  });

  it('names every bad variable at once', async () => {
    const { code, output } = await boot('api', { PORT: 'eighty', REDIS_URL: 'http://nope', LOG_LEVEL: 'loud' });
    expect(code).toBe(78);
    expect(output).toMatch(/PORT:/);
    expect(output).toMatch(/REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/);
    expect(output).toMatch(/LOG_LEVEL:/);
  });

  it('refuses a worker asked to consume an unknown queue', async () => {
    const { code, output } = await boot('worker', { WORKER_QUEUES: 'outbox,nonsense' });
    expect(code).toBe(78);
    expect(output).toMatch(/WORKER_QUEUES: unknown queue "nonsense"/);
  });

  it("names a bad variable of the AI gateway's slice, in the api and the worker", async () => {
    const api = await boot('api', { AI_MAX_ATTEMPTS: 'lots', EMBEDDINGS_PROVIDER: 'cohere' });
    expect(api.code).toBe(78);
    expect(api.output).toMatch(/AI_MAX_ATTEMPTS:/);
    expect(api.output).toMatch(/EMBEDDINGS_PROVIDER:/);
    const worker = await boot('worker', { EMBEDDINGS_PROVIDER: 'openai' });
    expect(worker.code).toBe(78);
    expect(worker.output).toMatch(/EMBEDDINGS_BASE_URL: is required when EMBEDDINGS_PROVIDER=openai/);
  });

  it('refuses a platform admin key that is too short', async () => {
    const { code, output } = await boot('api', { PLATFORM_ADMIN_KEY: 'short' });
    expect(code).toBe(78);
    expect(output).toMatch(/PLATFORM_ADMIN_KEY: must be at least 24 characters/);
  });
});
