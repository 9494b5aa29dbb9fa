import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from '../../libs/platform/src/database/embedded/embedded-postgres';
import { expectProblem, http } from '../support/http';
import { freePort, startApi, waitFor, type RunningApi } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';

/**
 * The database goes away under a running api: requests that need it answer 503 problem+json with
 * Retry-After (counted in /metrics), never 500, and the api serves again once it is back. A
 * private embedded database, so stopping it disturbs no other test.
 */
describe('database unavailable', () => {
  let pg: RunningEmbeddedPostgres;
  let api: RunningApi;
  let session: TenantSession;
  const dataDir = join(mkdtempSync(join(process.env.E2E_DATA_DIR ?? tmpdir(), 'dbdown-')), 'pg');
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir, port });
    await promisify(execFile)(process.execPath, ['dist/scripts/migrate.js'], { env: { ...process.env, DATABASE_URL: pg.url } });
    api = await startApi({ DATABASE_URL: pg.url });
    session = await createTenant(api.url, 'dbdown');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await pg?.stop().catch(() => undefined);
  });

  it('answers 503 with Retry-After while the database is down, and serves again when it is back', async () => {
    expect((await http(api.url, 'GET', '/v1/tickets?limit=1', { headers: session.headers('agent') })).status).toBe(200);
    await pg.stop();

    const read = await http(api.url, 'GET', '/v1/tickets?limit=1', { headers: session.headers('agent') });
    const problem = expectProblem(read, 503, 'database-unavailable');
    expect(problem.detail).toMatch(/database is unavailable/);
    expect(read.headers.get('retry-after')).toBe('2');
    const write = await http(api.url, 'POST', '/v1/tickets', { headers: session.headers('agent'), body: { subject: 'while down', requester: { email: 'down@example.com' } } });
    expectProblem(write, 503, 'database-unavailable');
    const metrics = await fetch(`${api.url}/metrics`).then((r) => r.text());
    expect(Number(/^http_database_unavailable_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);

    pg = await startEmbeddedPostgres({ dataDir, port });
    const back = await waitFor(async () => {
      const res = await http(api.url, 'POST', '/v1/tickets', { headers: session.headers('agent'), body: { subject: 'after', requester: { email: 'down@example.com' } } });
      return res.status === 201 ? res : null;
    }, 'the api to write again', 30_000);
    expect(back.body.subject).toBe('after');
    const list = await http(api.url, 'GET', '/v1/tickets?limit=10', { headers: session.headers('agent') });
    expect(list.body.data.map((t: { subject: string }) => t.subject)).toEqual(['after']);
  }, 120_000);
});
