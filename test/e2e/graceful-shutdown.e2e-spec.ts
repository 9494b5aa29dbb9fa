import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request as httpRequest } from 'node:http';
import { startApi, waitFor, type RunningApi } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';

interface Answer {
  status: number;
  connection?: string;
  body?: { id?: string };
  error?: string;
}

/** One request on a keep-alive agent; a reset or refused connection is an answer of status 0. */
function send(agent: Agent, url: string, method: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text ? (JSON.parse(text) as { id?: string }) : undefined }));
      res.on('error', (error: Error & { code?: string }) => resolve({ status: 0, error: error.code ?? error.message }));
    });
    req.on('error', (error: Error & { code?: string }) => resolve({ status: 0, error: error.code ?? error.message }));
    req.end(body);
  });
}

/**
 * SIGTERM under load: every request the api received is answered (none reset), each write it
 * acknowledged is there afterwards, keep-alive connections are closed after their answer, and
 * readiness says no while it drains.
 */
describe('graceful shutdown', () => {
  let api: RunningApi;
  let reader: RunningApi;
  let session: TenantSession;

  beforeAll(async () => {
    // Draining 200 writes may outlast the default 10 s shutdown timeout when other test files share
    // the machine and the database: this test is about answering every one, not about speed.
    [api, reader] = await Promise.all([startApi({ SHUTDOWN_DRAIN_MS: '1000', SHUTDOWN_TIMEOUT_MS: '60000', RATE_LIMIT_TENANT_PER_MINUTE: '100000' }), startApi()]);
    session = await createTenant(reader.url, 'drain');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await reader?.stop();
  });

  it('answers all 200 writes in flight when SIGTERM arrives, resets none, and loses none it acknowledged', async () => {
    // Keep-alive connections, as a client pool behind a proxy would keep, one per request in flight.
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const headers = { ...session.headers('agent'), 'content-type': 'application/json' };
    // Warm the pool: the burst goes out at once on open connections, so all 200 are in flight.
    await Promise.all(Array.from({ length: 200 }, () => send(agent, `${api.url}/v1/health/live`, 'GET')));
    const outcomes = Array.from({ length: 200 }, (_, i) =>
      send(agent, `${api.url}/v1/tickets`, 'POST', headers, JSON.stringify({ subject: `drain ${i}`, requester: { email: 'drain@example.com' } })),
    );
    await sleep(20);
    const exited = api.stop('SIGTERM');
    await sleep(100);
    // While it drains, readiness says no.
    const readiness = (await send(new Agent(), `${api.url}/v1/health/ready`, 'GET')).status;
    const results = await Promise.all(outcomes);
    expect(await exited).toBe(0);
    agent.destroy();

    const failed = results.filter((r) => r.status !== 201);
    expect(failed).toEqual([]);
    expect(readiness).toBe(503);
    const acknowledged = new Set(results.map((r) => r.body?.id));
    expect(acknowledged.size).toBe(200);
    // Every acknowledged ticket is there, read through another api process.
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = (await fetch(`${reader.url}/v1/tickets?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: session.headers('agent') }).then((r) => r.json())) as { data: { id: string }[]; nextCursor: string | null };
      for (const t of page.data) seen.add(t.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect([...acknowledged].filter((id) => !seen.has(id!))).toEqual([]);
    // Answers given while draining closed their connection.
    expect(results.some((r) => r.connection === 'close')).toBe(true);
    await waitFor(async () => (await fetch(`${api.url}/v1/health/live`).then(() => false, () => true)), 'the api to be gone', 5_000);
  }, 120_000);
});
