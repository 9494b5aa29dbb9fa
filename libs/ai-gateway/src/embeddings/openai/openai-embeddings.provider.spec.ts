import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmbeddingsProviderError, OpenAiEmbeddingsProvider } from './openai-embeddings.provider';

interface Seen {
  body: { model: string; input: string[]; dimensions?: number; encoding_format?: string };
  authorization?: string;
}
type Behaviour = (seen: Seen, attempt: number, res: ServerResponse) => void;

/** A fake OpenAI-compatible `/v1/embeddings` on loopback; vectors encode the input's length. */
class FakeEmbeddingsServer {
  readonly requests: Seen[] = [];
  behaviour: Behaviour = (seen, _attempt, res) => this.answer(res, seen.body.input.map((text) => this.vector(text, seen.body.dimensions ?? 4)));
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  vector(text: string, dims: number): number[] {
    return Array.from({ length: dims }, (_, i) => (i === 0 ? text.length : i === 1 ? 3 : 0));
  }

  answer(res: ServerResponse, vectors: number[][], status = 200): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', model: 'fake', data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })), usage: { prompt_tokens: 1, total_tokens: 1 } }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404).end();
      return;
    }
    const seen: Seen = { body: JSON.parse(raw) as Seen['body'], authorization: req.headers.authorization };
    this.requests.push(seen);
    this.behaviour(seen, this.requests.length, res);
  }
}

describe('OpenAiEmbeddingsProvider against a fake OpenAI-compatible server', () => {
  const server = new FakeEmbeddingsServer();
  let baseURL: string;
  beforeAll(async () => {
    baseURL = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
    server.behaviour = (seen, _attempt, res) => server.answer(res, seen.body.input.map((text) => server.vector(text, seen.body.dimensions ?? 4)));
  });

  const provider = (overrides: Partial<ConstructorParameters<typeof OpenAiEmbeddingsProvider>[0]> = {}) =>
    new OpenAiEmbeddingsProvider({ baseURL, apiKey: 'sk-test', model: 'text-embedding-3-small', dimensions: 4, batchSize: 3, timeoutMs: 2_000, maxRetries: 2, ...overrides });

  it('batches the inputs, keeps their order and returns unit vectors', async () => {
    const texts = ['a', 'bb', 'ccc', 'dddd', '', 'ffffff', 'g'];
    const vectors = await provider().embed(texts);
    expect(server.requests.map((r) => r.body.input)).toEqual([['a', 'bb', 'ccc'], ['dddd', ' ', 'ffffff'], ['g']]);
    expect(server.requests[0]).toMatchObject({ authorization: 'Bearer sk-test', body: { model: 'text-embedding-3-small', dimensions: 4, encoding_format: 'float' } });
    expect(vectors).toHaveLength(7);
    vectors.forEach((v, i) => {
      const length = texts[i]!.length || 1;
      expect(v[0]).toBeCloseTo(length / Math.hypot(length, 3), 6);
      expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    });
    expect(server.requests).toHaveLength(3);
  });

  it('puts answers back in input order by their index', async () => {
    server.behaviour = (seen, _attempt, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const data = seen.body.input.map((text, index) => ({ object: 'embedding', index, embedding: server.vector(text, 4) })).reverse();
      res.end(JSON.stringify({ object: 'list', data, model: 'fake' }));
    };
    const [a, b] = await provider().embed(['x', 'yyyyyyyy']);
    expect(a![0]).toBeLessThan(b![0]!);
  });

  it('does not send dimensions when told not to', async () => {
    await provider({ requestDimensions: false }).embed(['x']);
    expect(server.requests[0]!.body.dimensions).toBeUndefined();
  });

  it('retries a 429 and a 500, then succeeds', async () => {
    server.behaviour = (seen, attempt, res) => {
      if (attempt === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '10' });
        res.end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit' } }));
      } else if (attempt === 2) {
        res.writeHead(500, { 'content-type': 'application/json', 'retry-after-ms': '10' });
        res.end(JSON.stringify({ error: { message: 'boom' } }));
      } else {
        server.answer(res, seen.body.input.map((t) => server.vector(t, 4)));
      }
    };
    const vectors = await provider().embed(['hello']);
    expect(vectors).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after its retries with a clear error naming the status', async () => {
    server.behaviour = (_seen, _attempt, res) => {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after-ms': '5' });
      res.end(JSON.stringify({ error: { message: 'overloaded' } }));
    };
    const error = await provider({ maxRetries: 1 }).embed(['hello']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingsProviderError);
    expect(error).toMatchObject({ status: 503, message: expect.stringMatching(/answered 503/) });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 400', async () => {
    server.behaviour = (_seen, _attempt, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'input too long' } }));
    };
    await expect(provider().embed(['x'])).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/input too long/) });
    expect(server.requests).toHaveLength(1);
  });

  it('times out a hanging server (each attempt), then fails', async () => {
    server.behaviour = () => undefined; // never answers
    const started = Date.now();
    const error = await provider({ timeoutMs: 200, maxRetries: 1 }).embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingsProviderError);
    expect((error as Error).message).toMatch(/timed out/);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops when the caller aborts', async () => {
    server.behaviour = () => undefined;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(provider({ timeoutMs: 5_000 }).embed(['x'], { signal: controller.signal })).rejects.toThrow(/abort/i);
  });

  it('rejects vectors of the wrong dimension, saying which', async () => {
    server.behaviour = (seen, _attempt, res) => server.answer(res, seen.body.input.map((t) => server.vector(t, 1536)));
    await expect(provider().embed(['x'])).rejects.toThrow('embeddings endpoint returned 1536-dimensional vectors for model "text-embedding-3-small", but EMBEDDINGS_DIMENSIONS is 4');
  });

  it('rejects malformed answers: missing vectors, junk components, zero vectors', async () => {
    server.behaviour = (_seen, _attempt, res) => server.answer(res, [[1, 0, 0, 0]]);
    await expect(provider().embed(['x', 'y'])).rejects.toThrow(/returned 1 vectors for 2 inputs/);
    server.behaviour = (_seen, _attempt, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ index: 0, embedding: [1, 'x', 0, 0] }] }));
    };
    await expect(provider().embed(['x'])).rejects.toThrow(/non-numeric/);
    server.behaviour = (_seen, _attempt, res) => server.answer(res, [[0, 0, 0, 0]]);
    await expect(provider().embed(['x'])).rejects.toThrow(/zero vector/);
    server.behaviour = (_seen, _attempt, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"not":"embeddings"}');
    };
    await expect(provider().embed(['x'])).rejects.toThrow(EmbeddingsProviderError);
  });

  it('reports an unreachable endpoint', async () => {
    const error = await new OpenAiEmbeddingsProvider({ baseURL: 'http://127.0.0.1:9/v1', model: 'm', dimensions: 4, maxRetries: 0, timeoutMs: 1_000 }).embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingsProviderError);
    expect((error as Error).message).toMatch(/127\.0\.0\.1:9/);
  });
});
