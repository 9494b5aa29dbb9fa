import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createSafeFetch, OutboundRefusedError, type OutboundResolver } from './safe-fetch';

/** A local server standing in for both a provider and the internal service an attacker aims at. */
async function startServer(handler: http.RequestListener) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url} host=${req.headers.host}`);
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return { port, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

// "api.example.test" looks public and resolves to loopback, like a name in /etc/hosts or a public
// record pointing at 127.0.0.1.
const toLoopback: OutboundResolver = async () => [{ address: '127.0.0.1', family: 4 }];

describe('safeFetch', () => {
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${server.port}/internal` }).end();
      } else if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.alloc(64 * 1024));
      } else if (req.url === '/big-declared') {
        res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
        res.write('x');
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2_000).unref();
      } else if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: one\n\n');
        setTimeout(() => res.end('data: two\n\n'), 20);
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else {
        let body = '';
        req.on('data', (c: Buffer) => (body += c));
        req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'x-seen': req.headers['x-api-key'] ?? '' }).end(JSON.stringify({ method: req.method, url: req.url, body })));
      }
    });
  });
  afterAll(() => server.close());
  beforeEach(() => server.hits.splice(0));

  it('with allowPrivate reaches a local server: method, path, headers and body travel, the answer streams back', async () => {
    const fetch = createSafeFetch({ allowPrivate: true });
    const response = await fetch(`http://127.0.0.1:${server.port}/v1/chat?x=1`, { method: 'POST', headers: { 'x-api-key': 'k', 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-seen')).toBe('k');
    expect(response.url).toBe(`http://127.0.0.1:${server.port}/v1/chat?x=1`);
    expect(await response.json()).toEqual({ method: 'POST', url: '/v1/chat?x=1', body: '{"a":1}' });
    const stream = await fetch(`http://127.0.0.1:${server.port}/stream`);
    expect(await stream.text()).toBe('data: one\n\ndata: two\n\n');
    expect((await fetch(`http://127.0.0.1:${server.port}/empty`)).status).toBe(204);
  });

  it('accepts a Request object as input', async () => {
    const fetch = createSafeFetch({ allowPrivate: true });
    const response = await fetch(new Request(`http://127.0.0.1:${server.port}/r`, { method: 'PUT', body: 'b' }));
    expect(await response.json()).toEqual({ method: 'PUT', url: '/r', body: 'b' });
  });

  it('refuses a public-looking name that resolves to loopback, before connecting', async () => {
    const fetch = createSafeFetch({ resolve: toLoopback });
    await expect(fetch(`http://api.example.test:${server.port}/v1`)).rejects.toThrow(/api\.example\.test" \(resolves to 127\.0\.0\.1\) is a loopback address/);
    await expect(fetch(`http://api.example.test:${server.port}/v1`)).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(server.hits).toEqual([]);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const fetch = createSafeFetch({ resolve: async () => [{ address: '93.184.215.14', family: 4 }, { address: '::ffff:169.254.169.254', family: 6 }] });
    await expect(fetch('http://mixed.example.test/')).rejects.toThrow(/link-local/);
  });

  it('with allowPrivate connects to the resolved address while keeping the name in the Host header', async () => {
    const fetch = createSafeFetch({ allowPrivate: true, resolve: toLoopback });
    const response = await fetch(`http://api.example.test:${server.port}/v1`);
    expect(response.status).toBe(200);
    expect(server.hits).toEqual([`GET /v1 host=api.example.test:${server.port}`]);
  });

  it('resolves once: the connection goes to the checked address even if the name would now resolve elsewhere', async () => {
    let calls = 0;
    const fetch = createSafeFetch({ allowPrivate: true, resolve: async () => (calls++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.255.255.1', family: 4 }]) });
    expect((await fetch(`http://rebind.example.test:${server.port}/once`)).status).toBe(200);
    expect(calls).toBe(1);
  });

  it.each([
    'http://127.0.0.1/',
    'http://localhost./',
    'http://LOCALHOST./',
    'http://api.example.com./',
    'http://[::1]/',
    'http://[::127.0.0.1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fec0::1]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://[2002:a9fe:a9fe::]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://0.0.0.0/',
    'http://2130706433/',
    'http://0x7f.1/',
    'file:///etc/passwd',
  ])('refuses %s without allowPrivate', async (url) => {
    const fetch = createSafeFetch({ resolve: toLoopback });
    await expect(fetch(url)).rejects.toBeInstanceOf(OutboundRefusedError);
  });

  it('does not follow a redirect: a public host answering 302 to loopback gets the 302 back and loopback is never called', async () => {
    // The redirecting host is "public" for the policy; the hop it names would be refused.
    const fetch = createSafeFetch({ allowPrivate: true, resolve: toLoopback });
    const response = await fetch(`http://public.example.test:${server.port}/redirect`, { redirect: 'follow' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`http://127.0.0.1:${server.port}/internal`);
    expect(server.hits).toEqual([`GET /redirect host=public.example.test:${server.port}`]);
  });

  it('fails a body over the size cap, whether declared or streamed', async () => {
    const fetch = createSafeFetch({ allowPrivate: true, maxResponseBytes: 1024 });
    const streamed = await fetch(`http://127.0.0.1:${server.port}/big`);
    await expect(streamed.arrayBuffer()).rejects.toThrow(/exceeded the 1024-byte limit/);
    await expect(fetch(`http://127.0.0.1:${server.port}/big-declared`)).rejects.toThrow(/declares 10485760 bytes/);
    expect(await (await createSafeFetch({ allowPrivate: true }).call(undefined, `http://127.0.0.1:${server.port}/big`)).arrayBuffer()).toHaveProperty('byteLength', 64 * 1024);
  });

  it('times out a slow answer, and honours the caller abort signal', async () => {
    const fetch = createSafeFetch({ allowPrivate: true, timeoutMs: 200 });
    await expect(fetch(`http://127.0.0.1:${server.port}/slow`)).rejects.toThrow(/timed out after 200 ms/);
    const controller = new AbortController();
    const pending = createSafeFetch({ allowPrivate: true })(`http://127.0.0.1:${server.port}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('times out a connection whose TLS handshake never completes', async () => {
    // A TCP listener that never speaks TLS: the socket connects, the secure connection never does.
    const silent = net.createServer(() => undefined).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const fetch = createSafeFetch({ allowPrivate: true, connectTimeoutMs: 100 });
      await expect(fetch(`https://127.0.0.1:${(silent.address() as AddressInfo).port}/`)).rejects.toThrow(/connecting to 127\.0\.0\.1:\d+ timed out after 100 ms/);
    } finally {
      silent.close();
    }
  });
});
