import { adminHeaders, startApi, type RunningApi } from '../support/processes';

const PROBLEM = /^application\/problem\+json/;
const METRICS_TOKEN = 'e2e-metrics-token-0123456789abcdef';

describe('HTTP conventions', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ BODY_LIMIT: '2kb', METRICS_TOKEN });
  });
  afterAll(async () => {
    await api?.stop();
  });

  const post = (path: string, body: string, headers: Record<string, string> = adminHeaders()) =>
    fetch(`${api.url}${path}`, { method: 'POST', headers, body });

  it('answers malformed JSON with 400 problem+json and a request id', async () => {
    const res = await post('/v1/admin/probes', '{bad json');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    const body = await res.json();
    expect(body).toMatchObject({ status: 400, title: 'Bad Request', detail: 'The request body is not valid JSON.', instance: '/v1/admin/probes' });
    expect(body.type).toMatch(/^https:\/\//);
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('names a body that is JSON but not an object', async () => {
    for (const [raw, kind] of [['null', 'null'], ['"str"', 'a string'], ['42', 'a number'], [' true', 'a boolean']] as const) {
      const res = await post('/v1/admin/probes', raw);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect((await res.json()).detail).toBe(`The request body must be a JSON object; it is ${kind}.`);
    }
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await post('/v1/admin/probes', 'note=hi', adminHeaders({ 'content-type': 'application/x-www-form-urlencoded' }));
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect((await res.json()).detail).toMatch(/application\/json/);
  });

  it('answers an oversized body with 413 naming the limit', async () => {
    const res = await post('/v1/admin/probes', JSON.stringify({ note: 'x'.repeat(4096) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect((await res.json()).detail).toMatch(/limit is 2048 bytes/);
  });

  it('answers a request whose headers are too large with 431 problem+json', async () => {
    const res = await fetch(`${api.url}/v1/health/live?q=${'x'.repeat(100_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 431, type: expect.stringMatching(/headers-too-large$/), detail: expect.stringMatching(/too large/) });
  });

  it('answers unknown routes with 404 problem+json, never HTML', async () => {
    for (const [method, path] of [['GET', '/v1/nothing-here'], ['POST', '/v1/nothing-here'], ['DELETE', '/v1/health/nothing'], ['GET', '/index.html']]) {
      const res = await fetch(`${api.url}${path}`, { method });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect((await res.json()).detail).toBe(`No route matches ${method} ${path}.`);
    }
  });

  it('answers a method a path does not have with 405 and Allow, on every kind of route', async () => {
    const id = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
    for (const [method, path, allow] of [
      ['DELETE', '/v1/health/live', 'GET, HEAD'],
      ['PUT', '/v1/admin/probes', 'GET, HEAD, POST'],
      ['DELETE', `/v1/admin/probes/${id}`, 'GET, HEAD'],
      ['PATCH', `/v1/tickets/${id}/messages`, 'GET, HEAD, POST'],
      ['POST', '/metrics', 'GET, HEAD'],
    ]) {
      const res = await fetch(`${api.url}${path}`, { method, headers: adminHeaders() });
      expect([method, path, res.status]).toEqual([method, path, 405]);
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(await res.json()).toMatchObject({ status: 405, title: 'Method Not Allowed', detail: `${method} is not allowed on ${path}; it allows ${allow}.` });
    }
  });

  it('rejects unknown properties and wrong types with field errors', async () => {
    const res = await post('/v1/admin/probes', JSON.stringify({ note: 5, tenantId: 'x' }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'tenantId', message: 'should not exist' },
        { field: 'note', message: 'must be a string' },
      ]),
    );
  });

  it('reports a missing field once, as required, and one message per field', async () => {
    const missing = await post('/v1/auth/login', JSON.stringify({ email: 'someone@example.com' }), { 'content-type': 'application/json' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ detail: 'password: is required.', errors: [{ field: 'password', message: 'is required' }] });
    const wrong = await post('/v1/auth/login', JSON.stringify({ email: 5, password: 'x'.repeat(300) }), { 'content-type': 'application/json' });
    expect((await wrong.json()).errors).toEqual([
      { field: 'email', message: 'must be a string' },
      { field: 'password', message: 'must be shorter than or equal to 256 characters' },
    ]);
  });

  it('rejects a body that is JSON but not an object', async () => {
    for (const raw of ['[]', '"text"', 'null', '42']) {
      const res = await post('/v1/admin/probes', raw);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
    }
  });

  it('answers a malformed id with 400 and a missing one with 404', async () => {
    const bad = await fetch(`${api.url}/v1/admin/probes/not-a-uuid`, { headers: adminHeaders() });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(PROBLEM);
    expect(await bad.json()).toMatchObject({ type: expect.stringMatching(/validation-failed$/), detail: 'id: must be a UUID.', errors: [{ field: 'id', message: 'must be a UUID' }] });
    const missing = await fetch(`${api.url}/v1/admin/probes/6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11`, { headers: adminHeaders() });
    expect(missing.status).toBe(404);
    expect((await missing.json()).detail).toMatch(/does not exist/);
  });

  it('requires the platform admin key, and answers a wrong one with 401', async () => {
    const none = await fetch(`${api.url}/v1/admin/probes`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    const wrong = await fetch(`${api.url}/v1/admin/probes`, { headers: { authorization: 'Bearer not-the-key-at-all-0000000' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(wrong.headers.get('content-type')).toMatch(PROBLEM);
  });

  it('echoes a well-formed X-Request-Id and replaces a hostile one', async () => {
    const ok = await fetch(`${api.url}/v1/health/live`, { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(ok.headers.get('x-request-id')).toBe('trace-abc.123');
    const hostile = await fetch(`${api.url}/v1/health/live`, { headers: { 'x-request-id': 'x'.repeat(300) } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the API security headers on JSON and problem+json, and no weak ETag of its own', async () => {
    for (const path of ['/v1/health/live', '/v1/nothing-here']) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      // What only a page needs stays on the pages.
      for (const pageOnly of ['x-dns-prefetch-control', 'origin-agent-cluster', 'x-download-options', 'x-permitted-cross-domain-policies', 'cross-origin-opener-policy']) {
        expect(res.headers.get(pageOnly)).toBeNull();
      }
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('etag')).toBeNull();
    }
  });

  it("sends helmet's full header set, with the scripts Swagger UI needs, on the pages", async () => {
    const res = await fetch(`${api.url}/docs`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data: https:");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-dns-prefetch-control')).toBe('off');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('pages with an opaque cursor and rejects a forged one', async () => {
    for (let i = 0; i < 3; i++) expect((await post('/v1/admin/probes', JSON.stringify({ note: `page-${i}` }))).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await fetch(`${api.url}/v1/admin/probes?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { headers: adminHeaders() });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { data: { id: string }[]; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.data.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 50);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);

    for (const query of ['limit=101', 'limit=0', 'limit=abc', 'cursor=%27%3Bdrop', `cursor=${Buffer.from('[1,2,3]').toString('base64url')}`]) {
      const res = await fetch(`${api.url}/v1/admin/probes?${query}`, { headers: adminHeaders() });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
    }
  });

  it('exposes Prometheus metrics with latency by route, to the metrics token only when one is set', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-the-token-0123456789abcdef' }, adminHeaders()]) {
      const refused = await fetch(`${api.url}/metrics`, { headers });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toMatch(PROBLEM);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="switchboard-metrics"');
      expect((await refused.json()).detail).toMatch(/metrics token/);
    }
    await fetch(`${api.url}/v1/health/live`);
    const text = await (await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/v1\/health\/live"/);
    expect(text).toMatch(/db_pool_connections\{state="total"\}/);
    expect(text).toMatch(/queue_jobs\{queue="outbox",state="waiting"\}/);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await fetch(`${api.url}/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/swagger-ui/i);
  });
});
