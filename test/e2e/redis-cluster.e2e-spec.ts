import { randomBytes, randomUUID } from 'node:crypto';
import { bearer, client, expectProblem, expectStatus, type HttpResult } from '../support/http';
import { adminHeaders, startApi, startWorker, waitFor, type RunningApi, type RunningProcess } from '../support/processes';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import { readyAgent, type AgentClient } from '../support/sockets';
import { createTenant, type TenantSession } from '../support/tenants';

const API_KEY_LIMIT = 8;

/**
 * The apps on a real three-primary Redis Cluster (REDIS_CLUSTER_NODES, a hash-tagged
 * QUEUE_PREFIX): queues, the sharded Socket.IO adapter and the worker's emitter, idempotency,
 * shared rate limits, health and metrics, and a tenant purge that looks on every primary.
 */
describe('on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let api: RunningApi;
  let worker: RunningProcess & { healthUrl: string };
  let acme: TenantSession;
  let globex: TenantSession;
  const prefix = `{e2e-${randomBytes(4).toString('hex')}}`;
  const open: AgentClient[] = [];
  const agent = async (session: TenantSession, role: 'agent' | 'owner' = 'agent') => {
    const s = await readyAgent(api.url, session.tokens[role]);
    open.push(s);
    return s;
  };
  /** Keys under this run's prefix that mention `text`, on each primary. */
  const keysOnEachPrimary = async (text: string) =>
    Promise.all(cluster.ports.map(async (port) => (await cluster.cli(port, '--scan', '--pattern', `${prefix}:*${text}*`)).split('\n').filter(Boolean)));

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    const env = {
      REDIS_URL: `redis://127.0.0.1:${cluster.ports[0]}`,
      REDIS_CLUSTER_NODES: cluster.nodes,
      QUEUE_PREFIX: prefix,
      OUTBOX_POLL_MS: '50',
      RATE_LIMIT_API_KEY_PER_MINUTE: String(API_KEY_LIMIT),
      RATE_LIMIT_SYNC_MS: '50',
    };
    [api, worker] = await Promise.all([startApi(env), startWorker(env)]);
    [acme, globex] = await Promise.all([createTenant(api.url, 'cl-acme'), createTenant(api.url, 'cl-globex')]);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await cluster?.stop();
  });

  it('reports the cluster ready, and counts its queues in /metrics', async () => {
    const ready = await fetch(`${api.url}/v1/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
    expect((await fetch(worker.healthUrl)).status).toBe(200);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/^queue_jobs\{queue="outbox",state="waiting"\} \d+$/m);
    expect(metrics).toMatch(/^queue_oldest_waiting_seconds\{queue="outbox"\} /m);
    // Every queue key sits in the prefix's slot: one primary holds them all, the others none.
    const perPrimary = await waitFor(async () => {
      const counts = (await keysOnEachPrimary('outbox')).map((keys) => keys.length);
      return counts.some((n) => n > 0) && counts;
    }, 'the outbox queue’s keys');
    expect(perPrimary.filter((n) => n > 0)).toHaveLength(1);
  });

  it('carries a ticket from HTTP through the outbox, the queue and a worker job to consoles, and to no other tenant', async () => {
    const [onAcme, onGlobex] = await Promise.all([agent(acme), agent(globex)]);
    const api_ = client(api.url);
    const ticket = expectStatus(await api_.post('/v1/tickets', { subject: 'On the cluster', requester: { email: 'c@customer.example' } }, acme.headers('agent')), 201);
    // The api's own push, through the sharded adapter.
    expect(await onAcme.next('ticket.created', (d) => d.ticketId === ticket.id)).toMatchObject({ ticket: { subject: 'On the cluster' } });
    // A worker job's result (tickets following a contact merge), pushed by the worker's sharded emitter.
    const target = expectStatus(await api_.post('/v1/contacts', { name: 'Cleo', emails: ['cleo@work.example'] }, acme.headers('agent')), 201);
    const source = expectStatus(await api_.post('/v1/contacts', { name: 'Cleo home', emails: ['cleo@home.example'] }, acme.headers('agent')), 201);
    const moved = expectStatus(await api_.post('/v1/tickets', { subject: 'From home', requesterId: source.id }, acme.headers('agent')), 201);
    expectStatus(await api_.post(`/v1/contacts/${target.id}/merge`, { sourceId: source.id }, acme.headers('agent')), 200);
    const updated = await onAcme.next('ticket.updated', (d) => d.ticketId === moved.id, 20_000);
    expect(updated).toMatchObject({ delta: { requesterId: { from: source.id, to: target.id } }, version: moved.version + 1 });
    // The other tenant's console heard nothing of it, and its API finds neither ticket.
    expect(onGlobex.received.filter((r) => r.event !== 'session.ready' && JSON.stringify(r.data).includes(ticket.id))).toEqual([]);
    expectProblem(await api_.get(`/v1/tickets/${moved.id}`, globex.headers('agent')), 404);
  });

  it('replays an idempotent retry, refuses the key with another body, and keeps keys apart per tenant', async () => {
    const api_ = client(api.url);
    const key = randomUUID();
    const body = { subject: `Once ${key}`, requester: { email: 'i@customer.example' } };
    const first = expectStatus(await api_.post('/v1/tickets', body, acme.headers('agent', { 'idempotency-key': key })), 201);
    const again = await api_.post('/v1/tickets', body, acme.headers('agent', { 'idempotency-key': key }));
    expect(expectStatus(again, 201).id).toBe(first.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(expectProblem(await api_.post('/v1/tickets', { ...body, subject: 'Other' }, acme.headers('agent', { 'idempotency-key': key })), 422).detail).toMatch(/different request/);
    // The same key from another tenant is its own request.
    const theirs = expectStatus(await api_.post('/v1/tickets', body, globex.headers('agent', { 'idempotency-key': key })), 201);
    expect(theirs.id).not.toBe(first.id);
    const listed = expectStatus(await api_.get(`/v1/tickets?limit=100`, acme.headers('agent')), 200);
    expect(listed.data.filter((t: { subject: string }) => t.subject === body.subject)).toHaveLength(1);
  });

  it('answers 429 with Retry-After once an API key spends its budget, shared through the cluster', async () => {
    const api_ = client(api.url);
    let limited: HttpResult | undefined;
    for (let i = 0; i < API_KEY_LIMIT * 3 && !limited; i++) {
      const res = await api_.get('/v1/tickets?limit=1', bearer(acme.apiKeys.readOnly));
      if (res.status === 429) limited = res;
      else expectStatus(res, 200);
    }
    expect(limited).toBeDefined();
    expect(expectProblem(limited!, 429, 'rate-limited').detail).toMatch(/API key/);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Hostile input is still a clean problem, not a cluster error.
    expectProblem(await api_.post('/v1/tickets', { subject: 'x'.repeat(5), requester: { email: '{not}an@@email' }, extra: '{e2e}' }, globex.headers('agent')), 400);
    // Another key of the same tenant, and the other tenant, go on.
    expectStatus(await api_.get('/v1/tickets?limit=1', bearer(globex.apiKeys.readOnly)), 200);
  });

  it('purges a deleted tenant’s keys from every primary, and leaves the other tenant’s', async () => {
    const doomed = await createTenant(api.url, 'cl-doomed');
    const onDoomed = await agent(doomed);
    const api_ = client(api.url);
    for (let i = 0; i < 3; i++) expectStatus(await api_.get('/v1/tickets?limit=1', bearer(doomed.apiKeys.readOnly)), 200);
    expectStatus(await api_.get('/v1/tickets?limit=1', bearer(globex.apiKeys.readOnly)), 200);
    // Its console presence and rate-limit buckets are in Redis now.
    const before = await waitFor(async () => {
      const keys = (await keysOnEachPrimary(doomed.tenant.id)).flat();
      return keys.some((k) => k.includes(':rt:')) && keys.some((k) => k.includes(':rl:')) && keys;
    }, 'the doomed tenant’s keys in Redis');
    expect(before.length).toBeGreaterThan(1);
    onDoomed.close();
    expectStatus(await api_.delete(`/v1/admin/tenants/${doomed.tenant.id}`, adminHeaders()), 202);
    await waitFor(async () => (await fetch(`${api.url}/v1/admin/tenants/${doomed.tenant.id}`, { headers: adminHeaders() })).status === 404, 'the purge to finish', 30_000);
    // The api keeps syncing a token bucket it still holds in memory for up to a minute of idleness;
    // that shared bucket is recreated with a TTL and expires by itself. Everything else is gone.
    const isSyncedBucket = (key: string) => key.startsWith(`${prefix}:rl:bucket:`);
    const left = await keysOnEachPrimary(doomed.tenant.id);
    expect(left.flat().filter((k) => !isSyncedBucket(k))).toEqual([]);
    expect(before.filter((k) => !isSyncedBucket(k)).length).toBeGreaterThan(0);
    for (const [i, keys] of left.entries()) {
      for (const key of keys) expect(Number(await cluster.cli(cluster.ports[i], 'pttl', key))).toBeGreaterThan(0);
    }
    expect((await keysOnEachPrimary(globex.tenant.id)).flat().length).toBeGreaterThan(0);
  });

  it('shuts down cleanly: both apps close their cluster connections and exit', async () => {
    const [apiCode, workerCode] = await Promise.all([api.stop(), worker.stop()]);
    const errors = (output: string) => output.split('\n').filter((line) => /"level":(50|60)/.test(line));
    expect({ apiCode, errors: errors(api.output()) }).toEqual({ apiCode: 0, errors: [] });
    // Nest re-raises the signal once its shutdown hooks are done (a hang would end in exit 1 or SIGKILL).
    expect({ workerCode, signal: worker.child.signalCode, errors: errors(worker.output()) }).toEqual({ workerCode: null, signal: 'SIGTERM', errors: [] });
  });
});
