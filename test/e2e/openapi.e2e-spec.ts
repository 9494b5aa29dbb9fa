import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import type { paths } from '../../clients/typescript/openapi';
import { stableStringify } from '../../scripts/stable-json';
import { startApi, type RunningApi } from '../support/processes';
import { createTenant } from '../support/tenants';

/** The committed spec is what clients generate code from: it must be what the api serves. */
describe('OpenAPI', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('serves exactly the committed openapi.json (run `npm run openapi` after changing the API)', async () => {
    const served = await (await fetch(`${api.url}/docs-json`)).json();
    const committed = readFileSync('openapi.json', 'utf8');
    expect(`${stableStringify(served)}\n`).toBe(committed);
  });

  it('documents the error format and security of admin routes', async () => {
    const spec = await (await fetch(`${api.url}/docs-json`)).json();
    expect(spec.components.securitySchemes['platform-admin']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.paths['/v1/admin/probes'].post.security).toEqual([{ 'platform-admin': [] }]);
    expect(spec.paths['/v1/health/ready']).toBeDefined();
  });

  it('ships TypeScript types generated from exactly the committed spec (run `npm run openapi`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-client-'));
    try {
      const out = join(dir, 'openapi.d.ts');
      // Not spawnSync: a blocked event loop would leave fetch a keep-alive socket the api closed meanwhile.
      await promisify(execFile)(process.execPath, ['node_modules/openapi-typescript/bin/cli.js', 'openapi.json', '--default-non-nullable', 'false', '--output', out]);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync('clients/typescript/openapi.d.ts', 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The file is type-checked with the rest (`npm run typecheck`), so a spec that cannot express a
  // call the api takes, or an answer it gives, fails there; here the same typed calls meet the api.
  it('a client generated from the spec calls the running api: typed bodies, path params, errors and headers', async () => {
    const acme = await createTenant(api.url, 'client');
    const sb = createClient<paths>({ baseUrl: api.url, headers: { authorization: `Bearer ${acme.tokens.agent}` } });

    const created = await sb.POST('/v1/tickets', { body: { subject: 'Generated clients work', requester: { email: 'pat@client.test', name: 'Pat' }, priority: 'high' } });
    expect(created.response.status).toBe(201);
    expect(created.response.headers.get('api-version')).toBe('1');
    const id = created.data!.id;
    expect(created.data).toMatchObject({ subject: 'Generated clients work', priority: 'high', status: 'new' });

    const fetched = await sb.GET('/v1/tickets/{id}', { params: { path: { id } } });
    expect(fetched.data?.id).toBe(id);
    const listed = await sb.GET('/v1/tickets', { params: { query: { priority: 'high', limit: 10 } } });
    expect(listed.data?.data.map((t) => t.id)).toContain(id);

    const missing = await sb.GET('/v1/tickets/{id}', { params: { path: { id: '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.error).toMatchObject({ status: 404, detail: expect.any(String) });

    // A deprecated field: the route says so in headers and in the spec, and still answers it.
    const found = await sb.GET('/v1/kb/search', { params: { query: { q: 'boiler' } } });
    expect(found.response.status).toBe(200);
    expect(found.response.headers.get('deprecation')).toBe('@1796083200');
    expect(found.response.headers.get('sunset')).toBe('Wed, 30 Jun 2027 23:59:59 GMT');
    expect(found.data?.results).toEqual(found.data?.data);
    const spec = await (await fetch(`${api.url}/docs-json`)).json();
    expect(spec.paths['/v1/kb/search'].get['x-deprecation']).toMatchObject({ since: '2026-12-01', sunset: '2027-06-30', fields: ['results'] });

    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/http_deprecated_requests_total\{method="GET",route="\/v1\/kb\/search"\} [1-9]/);
  });
});
