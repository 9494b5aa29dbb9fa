import { adminHeaders, startApi, waitFor, type RunningApi } from '../support/processes';
import { createTenant } from '../support/tenants';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  context?: string;
  req?: { id: string; method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}

/** The api's JSON log lines so far (stdout and stderr interleaved; only JSON objects kept). */
function lines(api: RunningApi): LogLine[] {
  return api
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

describe('request log', () => {
  let api: RunningApi;

  beforeAll(async () => {
    // As in production: info level, one line per request.
    api = await startApi({ LOG_LEVEL: 'info', HTTP_LOG_REQUESTS: 'true' });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('writes one line per request with its request id, and none for health probes or metrics scrapes', async () => {
    for (const path of ['/v1/health/live', '/v1/health/ready', '/metrics']) {
      expect((await fetch(`${api.url}${path}`, { headers: { 'x-request-id': `quiet-${path.replaceAll('/', '-')}` } })).status).toBe(200);
    }
    const res = await fetch(`${api.url}/v1/admin/probes/not-a-uuid`, { headers: adminHeaders({ 'x-request-id': 'logged-probe-1' }) });
    expect(res.status).toBe(400);

    // Lines are buffered for a moment at info level; they leave in order, so once this one is out, the probes' would be too.
    const line = await waitFor(async () => lines(api).find((l) => l.requestId === 'logged-probe-1'), 'the request line');
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'logged-probe-1', method: 'GET', url: '/v1/admin/probes/not-a-uuid' },
      res: { statusCode: 400 },
      responseTime: expect.any(Number),
    });
    expect(lines(api).filter((l) => l.requestId === 'logged-probe-1')).toHaveLength(1);
    const quiet = lines(api).filter((l) => l.requestId?.startsWith('quiet-') || /^\/(v1\/health|metrics)/.test(l.req?.url ?? ''));
    expect(quiet).toEqual([]);
  });

  it("puts the request id on the lines a handler writes through Nest's Logger", async () => {
    const acme = await createTenant(api.url, 'logs');
    const invite = await fetch(`${api.url}/v1/invitations`, {
      method: 'POST',
      headers: acme.headers('owner', { 'x-request-id': 'invite-log-1' }),
      body: JSON.stringify({ email: 'new.agent@logs.test', role: 'agent' }),
    });
    expect(invite.status).toBe(201);
    const mailed = await waitFor(async () => lines(api).find((l) => l.context === 'Mailer' && l.msg.startsWith('Email written')), "the mailer's line");
    expect(mailed.requestId).toBe('invite-log-1');
    // A line written outside any request (start-up) carries none.
    const started = lines(api).find((l) => l.msg === 'Nest application successfully started');
    expect(started).toBeDefined();
    expect(started!.requestId).toBeUndefined();
  });
});
