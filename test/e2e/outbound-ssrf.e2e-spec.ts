import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { checkAddress } from '../../libs/platform/src/outbound/address-policy';
import { startApi, type RunningApi } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';
import { client, expectProblem, expectStatus } from '../support/http';
import { FakeLlmServer } from '../support/fake-llm/fake-llm-server';

/**
 * A tenant's AI provider base URL through the api, with the default outbound policy (private
 * addresses refused): a host name that passes every check on its spelling but resolves to the
 * machine itself (here the machine's own name, which the system resolver maps to a local address)
 * is refused when the call is made, and the local server behind it is never reached.
 */
describe('outbound calls refuse names that resolve to local addresses', () => {
  let api: RunningApi;
  let fake: FakeLlmServer;
  let acme: TenantSession;
  let http: ReturnType<typeof client>;
  let localName: string;

  beforeAll(async () => {
    localName = hostname();
    // The premise: the machine's own name resolves to an address the policy refuses.
    const resolved = await lookup(localName, { all: true });
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.filter((a) => checkAddress(a.address).allowed)).toEqual([]);
    fake = await new FakeLlmServer().start();
    api = await startApi({ AI_MAX_ATTEMPTS: '1' });
    http = client(api.url);
    acme = await createTenant(api.url, 'ssrf');
  });
  afterAll(async () => {
    await api?.stop();
    await fake?.stop();
  });

  it('accepts the name when saved, refuses the call with a problem, and never connects', async () => {
    const port = new URL(fake.url).port;
    const baseUrl = `http://${localName}:${port}/openai/v1`;
    expectStatus(await http.put('/v1/ai/providers/inside', { kind: 'openai', apiKey: 'sk-ssrf-0001', baseUrl, defaultModel: 'gpt-4o-mini' }, acme.headers('admin')), 201);
    expectStatus(await http.put('/v1/ai/settings', { defaultProvider: 'inside' }, acme.headers('admin')), 200);

    const refused = expectProblem(await http.post('/v1/ai/completions', { messages: [{ role: 'user', content: 'hello' }] }, acme.headers('agent')), 502, 'ai-provider-refused');
    expect(refused.detail).toMatch(/not called/);
    const streamed = await fetch(`${api.url}/v1/ai/completions`, { method: 'POST', headers: acme.headers('agent'), body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'hello' }] }) });
    expect(streamed.status).toBeGreaterThanOrEqual(400);
    expect(streamed.status).toBeLessThan(600);
    expect(streamed.status).not.toBe(500);
    await streamed.text();
    expect(fake.requests).toEqual([]);
  });

  it('refuses local names, a trailing dot and private literals when saved', async () => {
    for (const baseUrl of ['http://localhost:1/v1', 'http://LOCALHOST./v1', 'http://[::127.0.0.1]/v1', 'http://[fec0::1]/v1', 'http://[64:ff9b::a9fe:a9fe]/v1', 'http://169.254.169.254/latest', 'http://10.0.0.1/v1']) {
      const res = await http.put('/v1/ai/providers/bad', { kind: 'openai', apiKey: 'sk-ssrf-0002', baseUrl }, acme.headers('admin'));
      expect({ baseUrl, status: res.status }).toEqual({ baseUrl, status: 422 });
      expect(expectProblem(res, 422).detail).toMatch(/baseUrl/);
    }
  });
});
