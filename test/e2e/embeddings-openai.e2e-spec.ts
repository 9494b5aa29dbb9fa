import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { run, baseEnv, startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { client, expectStatus } from '../support/http';

const DIMENSIONS = 384;

/**
 * An OpenAI-compatible `/v1/embeddings` on loopback: a hashed bag of words, so texts that share
 * words are close. Inputs containing WRONGDIM get 1536-dimensional vectors.
 */
function fakeEmbedding(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    v[h % dims] += 1;
  }
  v[0] += 0.01;
  return v;
}

/** The endpoint fails for exactly this input, so indexing works and only the search's embedding fails. */
const OUTAGE_QUERY = 'worn gasket';

describe('embeddings through an OpenAI-compatible endpoint (api and worker configured with EMBEDDINGS_PROVIDER=openai)', () => {
  const requests: { model: string; input: string[]; dimensions?: number; authorization?: string }[] = [];
  let server: Server;
  let baseURL: string;
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let http: ReturnType<typeof client>;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const body = JSON.parse(raw) as { model: string; input: string[]; dimensions?: number };
    requests.push({ ...body, authorization: req.headers.authorization });
    if (body.input.includes(OUTAGE_QUERY)) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'upstream outage', type: 'server_error' } }));
      return;
    }
    const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, text.includes('WRONGDIM') ? 1536 : (body.dimensions ?? DIMENSIONS)) }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', model: body.model, data, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  };

  beforeAll(async () => {
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const env = {
      EMBEDDINGS_PROVIDER: 'openai',
      EMBEDDINGS_BASE_URL: baseURL,
      EMBEDDINGS_API_KEY: 'sk-e2e-fake',
      EMBEDDINGS_MODEL: 'fake-embed-1',
      EMBEDDINGS_DIMENSIONS: String(DIMENSIONS),
      EMBEDDINGS_MAX_RETRIES: '0',
      // Its own queues: this worker must not pick up jobs other test files left behind.
      QUEUE_PREFIX: `e2e-${process.env.E2E_RUN_ID}-openai`,
    };
    api = await startApi(env);
    worker = await startWorker({ ...env, OUTBOX_POLL_MS: '50' });
    http = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  async function publish(t: TenantSession, title: string, body: string) {
    const category = expectStatus(await http.post('/v1/kb/categories', { locale: 'en', name: `Cat ${title}` }, t.headers('admin')), 201);
    const section = expectStatus(await http.post('/v1/kb/sections', { categoryId: category.id, name: 'Section' }, t.headers('admin')), 201);
    const article = expectStatus(await http.post('/v1/kb/articles', { sectionId: section.id, title, body }, t.headers('agent')), 201);
    return expectStatus(await http.post(`/v1/kb/articles/${article.id}/publish`, undefined, t.headers('agent')), 200);
  }

  it('indexes in the worker and searches in the api through the endpoint, per tenant', async () => {
    const article = await publish(acme, 'Descale the espresso machine', '# Steps\n\nRun the descaling solution through the group head, then rinse twice with clean water.');
    await waitFor(async () => expectStatus(await http.get(`/v1/kb/articles/${article.id}`, acme.headers('agent')), 200).indexedVersion === article.version, 'the worker to index through the endpoint', 30_000);
    const indexing = requests.find((r) => r.input.some((t) => t.includes('descaling solution')));
    expect(indexing).toMatchObject({ model: 'fake-embed-1', dimensions: DIMENSIONS, authorization: 'Bearer sk-e2e-fake' });

    const before = requests.length;
    const dense = expectStatus(await http.get('/v1/kb/search?q=espresso%20group%20head%20rinse&mode=dense', acme.headers('agent')), 200).results;
    expect(dense[0]).toMatchObject({ articleId: article.id });
    // The query itself was embedded by the api through the same endpoint.
    expect(requests.slice(before).some((r) => r.input.includes('espresso group head rinse'))).toBe(true);
    // Another tenant's credential sees nothing of it, in any mode.
    for (const mode of ['dense', 'hybrid', 'lexical']) {
      expect(expectStatus(await http.get(`/v1/kb/search?q=espresso%20group%20head&mode=${mode}`, globex.headers('agent')), 200).results).toEqual([]);
    }
  });

  it("applies the tenant's redaction to what leaves for the endpoint: articles and search text go out with placeholders", async () => {
    const EMAIL = 'repairs@brewline.example';
    const PHONE = '+44 20 7946 0958';
    expect(expectStatus(await http.put('/v1/ai/settings', { redaction: { email: true, phone: true } }, globex.headers('admin')), 200).redaction).toEqual({ email: true, phone: true });
    const before = requests.length;
    const article = await publish(globex, 'Book a grinder service', `Write to ${EMAIL} or call ${PHONE} to book the burr grinder service.`);
    await waitFor(async () => expectStatus(await http.get(`/v1/kb/articles/${article.id}`, globex.headers('agent')), 200).indexedVersion === article.version, 'the worker to index', 30_000);
    const sent = () => requests.slice(before).flatMap((r) => r.input).join('\n');
    expect(sent()).toContain('burr grinder service');
    expect(sent()).toContain('[EMAIL_1]');
    expect(sent()).toContain('[PHONE_1]');
    expect(sent()).not.toContain(EMAIL);
    expect(sent()).not.toContain('7946');
    // The search text is redacted the same way, and the article is still found.
    const results = expectStatus(await http.get(`/v1/kb/search?q=${encodeURIComponent(`grinder service ${EMAIL}`)}&mode=hybrid`, globex.headers('agent')), 200).results;
    expect(results[0]).toMatchObject({ articleId: article.id });
    expect(sent()).toContain('grinder service [EMAIL_1]');
    expect(sent()).not.toContain(EMAIL);
    // A tenant without redaction sends its text as written.
    const plain = requests.length;
    expectStatus(await http.get(`/v1/kb/search?q=${encodeURIComponent(`descaling ${EMAIL}`)}&mode=dense`, acme.headers('agent')), 200);
    expect(requests.slice(plain).flatMap((r) => r.input)).toContain(`descaling ${EMAIL}`);
  });

  it('answers searches from full text when the endpoint fails, and says so for dense-only', async () => {
    const article = await publish(acme, 'Replace the brew gasket', 'Unscrew the shower screen and pull out the worn gasket.');
    await waitFor(async () => expectStatus(await http.get(`/v1/kb/articles/${article.id}`, acme.headers('agent')), 200).indexedVersion === article.version, 'the worker to index', 30_000);
    // The fake endpoint answers this exact text with a 500.
    const hybrid = expectStatus(await http.get('/v1/kb/search?q=worn%20gasket', acme.headers('agent')), 200).results;
    expect(hybrid[0]).toMatchObject({ articleId: article.id });
    const dense = await http.get('/v1/kb/search?q=worn%20gasket&mode=dense', acme.headers('agent'));
    expect(dense.status).toBe(503);
    expect(dense.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(dense.body).toMatchObject({ type: expect.stringContaining('embeddings-unavailable'), detail: expect.stringContaining('mode=hybrid') });
  });

  it('refuses vectors of the wrong dimension: the article stays unindexed and the worker says why', async () => {
    const article = await publish(globex, 'Broken endpoint article', 'WRONGDIM text that the endpoint answers with 1536 dimensions.');
    // pino writes the error as JSON, so the quotes around the model arrive escaped.
    await waitFor(async () => /returned 1536-dimensional vectors for model \\?"fake-embed-1\\?", but EMBEDDINGS_DIMENSIONS is 384/.test(worker.output()), 'the worker to report the dimension mismatch', 30_000);
    expect(expectStatus(await http.get(`/v1/kb/articles/${article.id}`, globex.headers('agent')), 200).indexedVersion).toBeNull();
  });

  it('stops an app at boot when openai is chosen without an endpoint', async () => {
    const proc = run(process.execPath, ['dist/apps/api/src/main.js'], baseEnv({ PORT: '0', EMBEDDINGS_PROVIDER: 'openai' }));
    expect(await proc.exited).toBe(78);
    expect(proc.output()).toMatch(/EMBEDDINGS_BASE_URL: is required when EMBEDDINGS_PROVIDER=openai/);
  });
});
