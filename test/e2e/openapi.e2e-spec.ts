import { readFileSync } from 'node:fs';
import { stableStringify } from '../../scripts/stable-json';
import { startApi, type RunningApi } from '../support/processes';

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
});
