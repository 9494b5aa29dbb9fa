import { Client } from 'pg';
import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, settleAiUsage, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';
import { FakeLlmServer } from '../support/fake-llm/fake-llm-server';

const SECRET = 'sk-acme-super-secret-key-7731';

interface SseEvent {
  event: string;
  data: any;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return { event, data: data ? JSON.parse(data) : undefined };
    });
}

/** The AI gateway through the api: settings, routing, resilience, metering, budgets, streaming, extraction. */
describe('AI gateway', () => {
  let api: RunningApi;
  let fake: FakeLlmServer;
  let acme: TenantSession;
  let globex: TenantSession;
  let http: ReturnType<typeof client>;
  let db: Client;

  const usageRows = async (tenantId: string): Promise<any[]> =>
    (await settleAiUsage(api.url, [acme, globex], tenantId), await db.query(`SELECT feature, provider, model, prompt_tokens, completion_tokens, cost_micros, attempts, outcome, request_id FROM ai_usage WHERE tenant_id = $1 ORDER BY created_at`, [tenantId])).rows;
  const ask = (t: TenantSession, content: string, extra: Record<string, unknown> = {}) => http.post('/v1/ai/completions', { messages: [{ role: 'user', content }], ...extra }, t.headers('agent'));

  beforeAll(async () => {
    fake = await new FakeLlmServer().start();
    api = await startApi({ AI_ALLOW_PRIVATE_BASE_URLS: 'true', AI_MAX_ATTEMPTS: '2', AI_RETRY_BASE_DELAY_MS: '10', AI_TIMEOUT_MS: '1500', AI_BREAKER_FAILURES: '4', LOG_LEVEL: 'debug' });
    http = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await api?.stop();
    await fake?.stop();
  });
  beforeEach(() => fake.reset());

  it('answers offline with the local provider when nothing is configured, saying it is extractive, and meters the call', async () => {
    const res = expectStatus(await ask(acme, 'Our office opens at 9. Parking is free. When does the office open?'), 200);
    expect(res).toMatchObject({ provider: 'local', model: 'local-extractive-1', extractive: true });
    expect(res.text).toContain('offline extractive');
    const rows = await usageRows(acme.tenant.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ feature: 'completion', provider: 'local', outcome: 'success', attempts: 1 });
    expect(rows[0].request_id).toBeTruthy();
    expect(fake.requests).toHaveLength(0);
  });

  it('stores provider keys encrypted and never returns or logs them', async () => {
    const created = await http.put('/v1/ai/providers/oa', { kind: 'openai', apiKey: SECRET, baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4o-mini' }, acme.headers('admin'));
    expect(created.status).toBe(201);
    expect(created.text).not.toContain(SECRET);
    expect(created.body).toMatchObject({ name: 'oa', kind: 'openai', hasSecret: true, secretHint: expect.stringMatching(/^…7731 \(sha256:[0-9a-f]{8}\)$/) });
    expectStatus(await http.put('/v1/ai/providers/an', { kind: 'anthropic', apiKey: 'ant-key-0001', baseUrl: fake.baseUrl('anthropic') }, acme.headers('admin')), 201);
    expectStatus(await http.put('/v1/ai/providers/gm', { kind: 'gemini', apiKey: 'gem-key-0002', baseUrl: fake.baseUrl('gemini') }, acme.headers('admin')), 201);
    const again = await http.put('/v1/ai/providers/oa', { kind: 'openai', baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4o-mini' }, acme.headers('owner'));
    expect(again.status).toBe(200);
    expect(again.body.hasSecret).toBe(true); // key kept when left out

    const settings = await http.get('/v1/ai/settings', acme.headers('admin'));
    expect(settings.status).toBe(200);
    expect(settings.text).not.toContain(SECRET);
    expect(settings.body.providers.map((p: any) => p.name)).toEqual(['an', 'gm', 'oa']);
    const stored = (await db.query(`SELECT secret, key_id FROM ai_provider_credentials WHERE tenant_id = $1 AND name = 'oa'`, [acme.tenant.id])).rows[0];
    expect(stored.key_id).toBe('db');
    expect(Buffer.from(stored.secret).toString('latin1')).not.toContain(SECRET);
    const audit = await http.get('/v1/audit-logs?limit=100', acme.headers('owner'));
    expect(audit.text).not.toContain(SECRET);
    expect(api.output()).not.toContain(SECRET);
  });

  it('routes by feature and applies settings changes on the next call', async () => {
    expectStatus(await http.put('/v1/ai/settings', { defaultProvider: 'oa', features: { extraction: { provider: 'an', model: 'claude-3-5-haiku-latest' } } }, acme.headers('admin')), 200);
    const completion = expectStatus(await ask(acme, 'What pressure should my boiler have?'), 200);
    expect(completion).toMatchObject({ provider: 'oa', model: 'gpt-4o-mini', text: fake.defaultText, extractive: false, usage: { promptTokens: 11, completionTokens: 10 } });
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);

    fake.enqueue('anthropic', { kind: 'ok', json: { serial: 'AB-123' } });
    const extraction = expectStatus(await http.post('/v1/ai/extract', { schema: { type: 'object', properties: { serial: { type: 'string' } } }, text: 'Replaced valve on unit AB-123.' }, acme.headers('technician')), 200);
    expect(extraction).toMatchObject({ provider: 'an', data: { serial: 'AB-123' }, confidence: { serial: expect.any(Number) }, attempts: 1 });
    expect(extraction.confidence.serial).toBeGreaterThan(0.8);
    expect(fake.count('anthropic')).toBe(1);

    expectStatus(await http.put('/v1/ai/settings', { features: { completion: { provider: 'gm', model: 'gemini-2.0-flash' } } }, acme.headers('admin')), 200);
    expect(expectStatus(await ask(acme, 'Hello?'), 200)).toMatchObject({ provider: 'gm', model: 'gemini-2.0-flash' });
    expect(fake.count('gemini')).toBe(1);
    expectStatus(await http.put('/v1/ai/settings', { features: {} }, acme.headers('admin')), 200);
  });

  it('retries a 429 after Retry-After and writes exactly one usage row for the call', async () => {
    const before = (await usageRows(acme.tenant.id)).length;
    fake.enqueue('openai', { kind: 'status', status: 429, retryAfter: '1' });
    const started = Date.now();
    expectStatus(await ask(acme, 'retry me'), 200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.count('openai')).toBe(2);
    const rows = await usageRows(acme.tenant.id);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ provider: 'oa', outcome: 'success', attempts: 2, prompt_tokens: 11, completion_tokens: 10 });
    expect(Number(rows.at(-1).cost_micros)).toBe(Math.round(11 * 0.15 + 10 * 0.6));
  });

  it('falls back to the next provider when the primary keeps failing, and reports a failure with one row', async () => {
    expectStatus(await http.put('/v1/ai/settings', { fallback: ['gm'] }, acme.headers('admin')), 200);
    fake.enqueue('openai', { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    expect(expectStatus(await ask(acme, 'fallback please'), 200)).toMatchObject({ provider: 'gm' });
    expect(fake.count('openai')).toBe(2);
    expect(fake.count('gemini')).toBe(1);

    // A success in between resets the primary's consecutive-failure count (its breaker stays closed).
    expect(expectStatus(await ask(acme, 'primary is back'), 200)).toMatchObject({ provider: 'oa' });
    const before = (await usageRows(acme.tenant.id)).length;
    fake.enqueue('openai', { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    fake.enqueue('gemini', { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const failed = expectProblem(await ask(acme, 'everything is down'), 502, 'ai-provider-failed');
    expect(failed.detail).toContain('"oa", "gm"');
    const rows = await usageRows(acme.tenant.id);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ outcome: 'error', attempts: 4 });
    expectStatus(await http.put('/v1/ai/settings', { fallback: [] }, acme.headers('admin')), 200);
  });

  it('opens the circuit breaker after repeated failures and stops calling the provider', async () => {
    expectStatus(await http.put('/v1/ai/providers/flaky', { kind: 'openai', baseUrl: fake.baseUrl('openai') }, globex.headers('admin')), 201);
    expectStatus(await http.put('/v1/ai/settings', { defaultProvider: 'flaky' }, globex.headers('admin')), 200);
    for (let i = 0; i < 4; i++) fake.enqueue('openai', { kind: 'status', status: 500 });
    expectProblem(await ask(globex, 'one'), 502);
    expectProblem(await ask(globex, 'two'), 502);
    expect(fake.count('openai')).toBe(4);
    const open = expectProblem(await ask(globex, 'three'), 502, 'ai-provider-failed');
    expect(open.detail).toMatch(/circuit breaker/);
    expect(fake.count('openai')).toBe(4);
    // acme's connection to the same server is not affected.
    expectStatus(await ask(acme, 'still fine?'), 200);
  });

  it('times out a hanging provider with a 504', async () => {
    fake.enqueue('openai', { kind: 'hang' }, { kind: 'hang' });
    expectProblem(await ask(acme, 'hang'), 504, 'ai-provider-timeout');
  });

  it('streams Server-Sent Events with a final usage event', async () => {
    const res = await fetch(`${api.url}/v1/ai/completions`, { method: 'POST', headers: acme.headers('agent'), body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'stream it' }] }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events[0]).toMatchObject({ event: 'start', data: { provider: 'oa' } });
    expect(events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toBe(fake.defaultText);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { usage: { promptTokens: 11, completionTokens: 10 } } });
  });

  it('aborts the upstream call when the client disconnects, recording what was consumed', async () => {
    const before = (await usageRows(acme.tenant.id)).length;
    fake.enqueue('openai', { kind: 'slow', text: 'alpha beta gamma delta epsilon zeta eta theta iota kappa', delayMs: 150 });
    const controller = new AbortController();
    const res = await fetch(`${api.url}/v1/ai/completions`, { method: 'POST', headers: acme.headers('agent'), body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'slow please' }] }), signal: controller.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('beta')) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`the stream ended early: ${text}`);
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    let rows = await usageRows(acme.tenant.id);
    for (let i = 0; i < 50 && rows.length === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await usageRows(acme.tenant.id);
    }
    expect(rows).toHaveLength(before + 1);
    const row = rows.at(-1);
    expect(row.outcome).toBe('aborted');
    expect(row.completion_tokens).toBeGreaterThan(0);
    expect(row.completion_tokens).toBeLessThan(10);
    expect(row.prompt_tokens).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.requests[0]!.closedEarly).toBe(true);
  });

  it('stops at the hard budget with a 402 naming the budget, and warns past the soft threshold', async () => {
    const used = (await http.get('/v1/ai/settings', acme.headers('admin'))).body.monthToDate.tokens as number;
    expect(used).toBeGreaterThan(0);
    expectStatus(await http.put('/v1/ai/settings', { budget: { monthlyTokens: used + 200, softLimitPercent: 50 } }, acme.headers('admin')), 200);
    const warned = await ask(acme, 'near the limit');
    expect(warned.status).toBe(200);
    expect(warned.headers.get('ai-budget-warning')).toContain('monthlyTokens');
    expect(warned.body.budgetWarning).toContain('monthlyTokens');

    expectStatus(await http.put('/v1/ai/settings', { budget: { monthlyTokens: 10 } }, acme.headers('admin')), 200);
    const before = fake.count('openai');
    const stopped = expectProblem(await ask(acme, 'over the limit'), 402, 'ai-budget-exceeded');
    expect(stopped).toMatchObject({ budget: 'monthlyTokens', limit: 10 });
    expect(stopped.detail).toContain('monthly token budget');
    const streamed = await fetch(`${api.url}/v1/ai/completions`, { method: 'POST', headers: acme.headers('agent'), body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'x' }] }) });
    expect(streamed.status).toBe(402);
    expect(streamed.headers.get('content-type')).toMatch(/problem\+json/);
    expect(fake.count('openai')).toBe(before);
    expectStatus(await http.put('/v1/ai/settings', { budget: {} }, acme.headers('admin')), 200);
  });

  it('retries schema-invalid extraction once, then answers 422 naming the fields', async () => {
    const schema = { type: 'object', properties: { serial: { type: 'string' }, pressure: { type: 'number' } }, required: ['serial', 'pressure'], additionalProperties: false };
    fake.enqueue('openai', { kind: 'ok', json: { serial: 'X1', pressure: 'high' } }, { kind: 'ok', json: { serial: 'X1', pressure: 1.5 } });
    const fixed = expectStatus(await http.post('/v1/ai/extract', { schema, text: 'Unit X1 at 1.5 bar' }, acme.headers('technician')), 200);
    expect(fixed).toMatchObject({ data: { serial: 'X1', pressure: 1.5 }, attempts: 2 });
    expect(JSON.stringify(fake.requests[1]!.body)).toContain('pressure');

    fake.enqueue('openai', { kind: 'ok', json: { serial: 7 } }, { kind: 'ok', text: 'not json at all' });
    const bad = expectProblem(await http.post('/v1/ai/extract', { schema, text: 'Unit X1' }, acme.headers('technician')), 422, 'ai-extraction-invalid');
    expect(bad.errors.length).toBeGreaterThan(0);
    fake.enqueue('openai', { kind: 'ok', json: { serial: 7 } }, { kind: 'ok', json: { serial: 8, extra: true } });
    const named = expectProblem(await http.post('/v1/ai/extract', { schema, text: 'Unit X1' }, acme.headers('technician')), 422, 'ai-extraction-invalid');
    expect(named.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['serial', 'pressure', 'extra']));

    expectProblem(await http.post('/v1/ai/extract', { schema: { type: 'string' }, text: 'x' }, acme.headers('technician')), 422, 'invalid-schema');
    expectProblem(await http.post('/v1/ai/extract', { schema: { type: 'object', properties: { a: { type: 'nonsense' } } }, text: 'x' }, acme.headers('technician')), 422, 'invalid-schema');
    // A required field the schema never defines is refused before any model call.
    const calls = fake.requests.length;
    const undefinedRoot = expectProblem(await http.post('/v1/ai/extract', { schema: { type: 'object', properties: { serial: { type: 'string' } }, required: ['serial', 'pressure'] }, text: 'x' }, acme.headers('technician')), 422, 'invalid-schema');
    expect(undefinedRoot.detail).toBe('The schema requires "pressure" at (root) but does not define it under "properties".');
    const undefinedNested = expectProblem(
      await http.post('/v1/ai/extract', { schema: { type: 'object', properties: { unit: { type: 'object', properties: { id: { type: 'string' } }, required: ['model'] } } }, text: 'x' }, acme.headers('technician')),
      422,
      'invalid-schema',
    );
    expect(undefinedNested.detail).toBe('The schema requires "model" at /properties/unit but does not define it under "properties".');
    expect(fake.requests.length).toBe(calls);
    expectProblem(await http.post('/v1/ai/extract', { schema: { type: 'object', properties: { a: { type: 'string', description: 'x'.repeat(30_000) } } }, text: 'x' }, acme.headers('technician')), 400);
  });

  it('extracts offline with rules and lower confidence', async () => {
    const res = expectStatus(
      await http.post('/v1/ai/extract', { schema: { type: 'object', properties: { serialNumber: { type: 'string' }, visitDate: { type: 'string' } } }, text: 'Serial number: ZX-9\nVisit date: 2026-11-20' }, globex.headers('technician')).then(async (r) => {
        expectStatus(await http.put('/v1/ai/settings', { defaultProvider: 'local' }, globex.headers('admin')), 200);
        return http.post('/v1/ai/extract', { schema: { type: 'object', properties: { serialNumber: { type: 'string' }, visitDate: { type: 'string' } } }, text: 'Serial number: ZX-9\nVisit date: 2026-11-20' }, globex.headers('technician'));
      }),
      200,
    );
    expect(res).toMatchObject({ provider: 'local', extractive: true, data: { serialNumber: 'ZX-9', visitDate: '2026-11-20' } });
    expect(res.confidence.serialNumber).toBeLessThanOrEqual(0.7);
  });

  it('extracts with the same named schema ($id) again and again', async () => {
    const schema = { $id: 'https://example.test/visit', type: 'object', properties: { serialNumber: { type: 'string' } } };
    for (let i = 0; i < 3; i++) {
      const res = expectStatus(await http.post('/v1/ai/extract', { schema, text: `Serial number: ZX-${i}` }, globex.headers('technician')), 200);
      expect(res.data).toEqual({ serialNumber: `ZX-${i}` });
    }
  });

  it('summarises usage by day, feature and model, per tenant', async () => {
    const acmeUsage = expectStatus(await http.get('/v1/ai/usage', acme.headers('agent')), 200);
    const rows = await usageRows(acme.tenant.id);
    expect(acmeUsage.totals.calls).toBe(rows.length);
    expect(acmeUsage.data.find((g: any) => g.feature === 'extraction' && g.provider === 'an')).toMatchObject({ model: 'claude-3-5-haiku-latest', calls: 1 });
    const globexUsage = expectStatus(await http.get('/v1/ai/usage', globex.headers('agent')), 200);
    expect(globexUsage.data.every((g: any) => g.provider !== 'oa')).toBe(true);
    expectProblem(await http.get('/v1/ai/usage?from=2026-13-01', acme.headers('agent')), 400);
    expectProblem(await http.get('/v1/ai/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', acme.headers('agent')), 400);
  });

  it('publishes usage through the outbox', async () => {
    await settleAiUsage(api.url, [acme, globex], acme.tenant.id);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND type = 'ai.usage_recorded'`, [acme.tenant.id]);
    expect(rows[0].n).toBe((await usageRows(acme.tenant.id)).length);
  });

  it('writes the usage rows still waiting for their batch when the api shuts down', async () => {
    // A long flush window: the rows are still waiting when SIGTERM arrives.
    const patient = await startApi({ AI_ALLOW_PRIVATE_BASE_URLS: 'true', AI_USAGE_FLUSH_MS: '10000' });
    try {
      const before = (await usageRows(globex.tenant.id)).length;
      for (let i = 0; i < 3; i++) expectStatus(await client(patient.url).post('/v1/ai/completions', { messages: [{ role: 'user', content: `drain ${i}` }] }, globex.headers('agent')), 200);
      expect((await db.query(`SELECT count(*)::int AS n FROM ai_usage WHERE tenant_id = $1`, [globex.tenant.id])).rows[0].n).toBe(before);
      expect(await patient.stop('SIGTERM')).toBe(0);
      expect((await db.query(`SELECT count(*)::int AS n FROM ai_usage WHERE tenant_id = $1`, [globex.tenant.id])).rows[0].n).toBe(before + 3);
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND type = 'ai.usage_recorded'`, [globex.tenant.id]);
      expect(rows[0].n).toBe(before + 3);
    } finally {
      await patient.stop();
    }
  });

  it('keeps tenants apart: 404 for another tenant’s provider, separate settings', async () => {
    expectProblem(await http.delete('/v1/ai/providers/oa', globex.headers('admin')), 404);
    const globexSettings = expectStatus(await http.get('/v1/ai/settings', globex.headers('admin')), 200);
    expect(globexSettings.providers.map((p: any) => p.name)).toEqual(['flaky']);
    // Routing to a provider name the tenant does not have is refused, not borrowed from another tenant.
    expectProblem(await http.put('/v1/ai/settings', { defaultProvider: 'oa' }, globex.headers('admin')), 422);
    expectProblem(await http.delete('/v1/ai/providers/oa', acme.headers('admin')), 409, 'ai-provider-in-use');
    expect(await http.delete('/v1/ai/providers/an', acme.headers('admin'))).toMatchObject({ status: 204 });
    expectProblem(await http.delete('/v1/ai/providers/an', acme.headers('admin')), 404);
  });

  it('checks permissions, input and stale versions', async () => {
    expectProblem(await http.get('/v1/ai/settings', acme.headers('agent')), 403);
    expectProblem(await http.put('/v1/ai/providers/x', { kind: 'openai' }, acme.headers('agent')), 403);
    expectProblem(await ask({ ...acme, headers: (_r, extra) => acme.headers('viewer', extra) } as TenantSession, 'hi'), 403);
    expectProblem(await http.post('/v1/ai/completions', { messages: [{ role: 'user', content: 'x' }] }, bearer(acme.apiKeys.full, { 'content-type': 'application/json' })), 403);
    expectProblem(await http.put('/v1/ai/providers/local', { kind: 'openai' }, acme.headers('admin')), 422);
    expectProblem(await http.put('/v1/ai/providers/Bad%20Name', { kind: 'openai' }, acme.headers('admin')), 400);
    expectProblem(await http.put(`/v1/ai/providers/${RANDOM_UUID}`, { kind: 'mistral' }, acme.headers('admin')), 400);
    expectProblem(await http.put('/v1/ai/providers/x', { kind: 'openai', baseUrl: 'file:///etc/passwd' }, acme.headers('admin')), 422);
    expectProblem(await http.put('/v1/ai/providers/x', { kind: 'openai', secret: 'x' }, acme.headers('admin')), 400);
    expectProblem(await http.post('/v1/ai/completions', { messages: [] }, acme.headers('agent')), 400);
    expectProblem(await http.post('/v1/ai/completions', { messages: [{ role: 'tool', content: 'x' }] }, acme.headers('agent')), 400);
    expectProblem(await http.post('/v1/ai/completions', '{"messages": [', acme.headers('agent')), 400);
    expectProblem(await ask(acme, 'x', { model: 'gpt-4o' }).then(async () => {
      expectStatus(await http.put('/v1/ai/settings', { allowedModels: ['gpt-4o-mini', 'claude-3-5-haiku-latest', 'gemini-2.0-flash'] }, acme.headers('admin')), 200);
      return ask(acme, 'x', { model: 'gpt-4o' });
    }), 422, 'ai-model-not-allowed');
    const current = expectStatus(await http.get('/v1/ai/settings', acme.headers('admin')), 200);
    expectProblem(await http.put('/v1/ai/settings', { version: current.version - 1, defaultModel: null }, acme.headers('admin')), 409);
    expectProblem(await http.put('/v1/ai/settings', { fallback: ['nope'] }, acme.headers('admin')), 422);
    expectProblem(await http.put('/v1/ai/settings', { budget: { monthlyTokens: -1 } }, acme.headers('admin')), 400);
    expectProblem(await http.post('/v1/ai/completions', { messages: [{ role: 'user', content: 'word '.repeat(40_000) }] }, acme.headers('agent')), 413, 'ai-prompt-too-large');
    // Arrays where objects belong, NUL characters and absurd nesting are 400s naming the field, and nothing is stored.
    // Month-to-date usage may still grow from earlier calls' batched usage rows; the settings themselves must not change.
    const settings = (body: Record<string, unknown>) => ({ ...body, monthToDate: undefined });
    const before = settings(expectStatus(await http.get('/v1/ai/settings', acme.headers('admin')), 200));
    expect(expectProblem(await http.post('/v1/ai/completions', { messages: [[]] }, acme.headers('agent')), 400, 'validation-failed').errors[0].field).toBe('messages');
    expectProblem(await http.put('/v1/ai/settings', { budget: [{ monthlyTokens: 1 }] }, acme.headers('admin')), 400, 'validation-failed');
    expectProblem(await http.put('/v1/ai/settings', { features: { answer: [{ provider: 'nope' }] } }, acme.headers('admin')), 400, 'validation-failed');
    // Routes are keyed by the features the contexts registered; another name is a 400 listing them.
    expect(expectProblem(await http.put('/v1/ai/settings', { features: { summary: { provider: 'local' }, sumary: { provider: 'local' } } }, acme.headers('admin')), 400, 'validation-failed').errors).toEqual([
      { field: 'features.sumary', message: 'is not an AI feature (registered: answer, draft, field_service_close_out_extraction, field_service_lead_extraction, summary, triage, extraction, completion)' },
    ]);
    expect(expectProblem(await http.put('/v1/ai/settings', { features: { answer: { provider: 'local', region: 'eu' } } }, acme.headers('admin')), 400, 'validation-failed').errors[0].field).toBe('features.answer.region');
    expect(expectProblem(await http.put('/v1/ai/settings', { features: { answer: { model: 'a\u0000b' } } }, acme.headers('admin')), 400, 'validation-failed').errors[0].field).toBe('features.answer.model');
    expect(expectProblem(await http.put('/v1/ai/templates/summary', { messages: [{ role: 'user', content: 'a\u0000b {{conversation}}' }] }, acme.headers('admin')), 400).detail).toMatch(/NUL/);
    const deep = `{"budget":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect(expectProblem(await http.put('/v1/ai/settings', deep, acme.headers('admin')), 400, 'validation-failed').detail).toMatch(/nested too deeply/);
    expect(settings(expectStatus(await http.get('/v1/ai/settings', acme.headers('admin')), 200))).toEqual(before);
  });
});
