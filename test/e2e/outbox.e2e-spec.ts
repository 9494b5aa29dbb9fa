import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { adminHeaders, startApi, startRedis, startWorker, waitFor, type RunningApi, QUEUE_PREFIX } from '../support/processes';

const SYSTEM_TENANT = '00000000-0000-0000-0000-000000000000';

interface ProbeView {
  id: string;
  status: 'pending' | 'consumed';
  consumptionCount: number;
}

/**
 * Events committed with a change reach their consumer exactly once through the real relay and a
 * real worker process, even if Redis loses the queued job; rolled-back events never leave.
 */
describe('outbox → relay → queue → worker', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let api: RunningApi;
  let db: Client;
  const workers: { stop(): Promise<unknown> }[] = [];

  // A private Redis, so the test can flush it; short timeouts so the sweeper acts within the test.
  const env = () => ({ REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', OUTBOX_ACK_TIMEOUT_MS: '1500', OUTBOX_SWEEP_MS: '500' });

  beforeAll(async () => {
    redis = await startRedis();
    api = await startApi(env());
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await api?.stop();
    await db?.end();
    await redis?.stop();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  const requestProbe = async (note: string): Promise<ProbeView> => {
    const res = await fetch(`${api.url}/v1/admin/probes`, { method: 'POST', headers: adminHeaders(), body: JSON.stringify({ note }) });
    expect(res.status).toBe(201);
    return (await res.json()) as ProbeView;
  };
  const getProbe = async (id: string): Promise<ProbeView> =>
    (await (await fetch(`${api.url}/v1/admin/probes/${id}`, { headers: adminHeaders() })).json()) as ProbeView;
  const receipts = async (eventAggregate: string) =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM event_receipts r JOIN outbox o ON o.id = r.event_id WHERE o.aggregate_id = $1`,
        [eventAggregate],
      )
    ).rows[0].n as number;

  it('delivers a committed event to its consumer exactly once', async () => {
    workers.push(await startWorker(env()));
    const probe = await requestProbe('exactly-once');
    const consumed = await waitFor(async () => {
      const p = await getProbe(probe.id);
      return p.status === 'consumed' && p;
    }, 'the probe to be consumed');
    expect(consumed.consumptionCount).toBe(1);
    expect(await receipts(probe.id)).toBe(1);
    const row = await db.query(`SELECT dispatched_at, completed_at FROM outbox WHERE aggregate_id = $1`, [probe.id]);
    expect(row.rows[0].dispatched_at).not.toBeNull();
    // The sweeper marks it complete once it sees every consumer's receipt.
    await waitFor(
      async () => (await db.query(`SELECT completed_at FROM outbox WHERE aggregate_id = $1`, [probe.id])).rows[0].completed_at,
      'the event to be marked completed',
    );
  });

  it('never delivers an event whose transaction rolled back', async () => {
    workers.push(await startWorker(env()));
    const rolledBack = randomUUID();
    await db.query('BEGIN');
    await db.query(`SELECT set_config('app.tenant_id', $1, true)`, [SYSTEM_TENANT]);
    await db.query('SET LOCAL ROLE switchboard_app');
    await db.query(`INSERT INTO probes (tenant_id, id, note) VALUES ($1, $2, 'rolled back')`, [SYSTEM_TENANT, rolledBack]);
    await db.query(
      `INSERT INTO outbox (tenant_id, id, type, aggregate_type, aggregate_id, payload)
       VALUES ($1, $2, 'platform.probe_requested', 'probe', $3, $4)`,
      [SYSTEM_TENANT, randomUUID(), rolledBack, JSON.stringify({ probeId: rolledBack })],
    );
    await db.query('ROLLBACK');
    // A probe committed afterwards is relayed after the rolled-back one would have been.
    const control = await requestProbe('after rollback');
    await waitFor(async () => (await getProbe(control.id)).status === 'consumed', 'the control probe');
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = $1`, [rolledBack])).rows[0].n).toBe(0);
    expect(await receipts(rolledBack)).toBe(0);
    expect((await getProbe(rolledBack)) as unknown).toMatchObject({ status: 404 });
  });

  it('loses nothing when Redis is flushed between relay and consumption', async () => {
    // This worker only relays: the job lands in the platform queue and waits there.
    workers.push(await startWorker({ ...env(), WORKER_QUEUES: 'outbox' }));
    const probe = await requestProbe('survives a flush');
    const client = new Redis(redis.url);
    try {
      const eventId = await waitFor(async () => {
        const r = await db.query(`SELECT id FROM outbox WHERE aggregate_id = $1 AND dispatched_at IS NOT NULL`, [probe.id]);
        return r.rows[0]?.id as string | undefined;
      }, 'the relay to dispatch the event');
      const jobKey = (await client.keys(`*:platform:${eventId}`))[0];
      expect(jobKey).toBeDefined();
      await client.flushall();
      expect(await client.exists(jobKey)).toBe(0);

      // Now a consumer appears; only the sweeper's re-dispatch can bring the job back.
      workers.push(await startWorker({ ...env(), WORKER_QUEUES: 'platform' }));
      const consumed = await waitFor(async () => {
        const p = await getProbe(probe.id);
        return p.status === 'consumed' && p;
      }, 'the re-dispatched probe to be consumed', 30_000);
      expect(consumed.consumptionCount).toBe(1);
      const row = await db.query(`SELECT redispatch_count FROM outbox WHERE id = $1`, [eventId]);
      expect(row.rows[0].redispatch_count).toBeGreaterThanOrEqual(1);
    } finally {
      client.disconnect();
    }
  });

  it('never parks an event whose job is held by a worker that died, and parks it once the job fails for real', async () => {
    // This worker only relays and sweeps: nothing but the test takes platform jobs.
    workers.push(await startWorker({ ...env(), WORKER_QUEUES: 'outbox' }));
    const probe = await requestProbe('held by a dead worker');
    const eventId = await waitFor(async () => {
      const r = await db.query(`SELECT id FROM outbox WHERE aggregate_id = $1 AND dispatched_at IS NOT NULL`, [probe.id]);
      return r.rows[0]?.id as string | undefined;
    }, 'the relay to dispatch the event');
    // A consumer takes the job and dies: the job stays active under its lock until a stall check
    // (30 s and more) frees it, however often the sweeper finds the event unacknowledged meanwhile.
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const dead = new Worker('platform', null, { connection, prefix: QUEUE_PREFIX, autorun: false, lockDuration: 120_000 });
    try {
      const job = await waitFor(async () => dead.getNextJob('dead'), 'the job to be taken');
      expect(job.id).toBe(eventId);
      // Its park budget is spent, as after many slow or lost deliveries.
      await db.query(`UPDATE outbox SET redispatch_count = 20 WHERE id = $1`, [eventId]);
      const row = async () =>
        (await db.query(`SELECT dispatched_at, failed_at, redispatch_count FROM outbox WHERE id = $1`, [eventId])).rows[0] as {
          dispatched_at: Date;
          failed_at: Date | null;
          redispatch_count: number;
        };
      const seen = new Set<number>();
      await waitFor(
        async () => {
          const r = await row();
          seen.add(r.dispatched_at.getTime());
          return r.failed_at !== null || seen.size >= 3;
        },
        'two sweeps over the unacknowledged event',
        30_000,
      );
      expect(await row()).toMatchObject({ failed_at: null, redispatch_count: 20 });
      expect(await job.getState()).toBe('active');

      // A real failure (no attempt left) counts: the event is parked and reported.
      await job.moveToFailed(new UnrecoverableError('the consumer gave up'), 'dead');
      await waitFor(async () => (await row()).failed_at, 'the event to be parked', 30_000);
      expect((await getProbe(probe.id)).consumptionCount).toBe(0);
    } finally {
      await dead.close();
      connection.disconnect();
    }
  });

  it('applies a redelivered event only once', async () => {
    const worker = await startWorker(env());
    workers.push(worker);
    const probe = await requestProbe('redelivered');
    await waitFor(async () => (await getProbe(probe.id)).status === 'consumed', 'the probe');
    const { rows } = await db.query(`SELECT id FROM outbox WHERE aggregate_id = $1`, [probe.id]);
    // As after a crash between consuming and acknowledging: the job is gone and the event undispatched.
    const client = new Redis(redis.url);
    await client.flushall();
    client.disconnect();
    await db.query(`UPDATE outbox SET dispatched_at = NULL, completed_at = NULL WHERE id = $1`, [rows[0].id]);
    const metricsUrl = worker.healthUrl.replace('/health', '/metrics');
    const completedJobs = async () => {
      const text = await (await fetch(metricsUrl)).text();
      return Number(/queue_jobs_processed_total\{queue="platform",job="platform.probe",outcome="completed"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    await waitFor(async () => (await completedJobs()) >= 2, 'the second delivery to be processed');
    expect((await getProbe(probe.id)).consumptionCount).toBe(1);
    expect(await receipts(probe.id)).toBe(1);
  });
});
