import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BullModule } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import { Queue, Worker, type Job } from 'bullmq';
import { Client } from 'pg';
import { QueueRegistry } from '../../libs/platform/src/queues/queue-registry.service';
import { defineContext, defineJob } from '../../libs/platform/src/registry/context';
import { ContextRegistry } from '../../libs/platform/src/registry/context-registry';
import { adminHeaders, startApi, startWorker, waitFor, type RunningApi, type RunningProcess } from '../support/processes';
import { login, PASSWORD } from '../support/tenants';

const DAY_MS = 24 * 3600_000;
const connection = () => ({ url: process.env.E2E_REDIS_URL!, maxRetriesPerRequest: null });

/** pino JSON lines of a process's output with this message. */
const logged = (output: string, msg: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string })
    .filter((entry) => entry.msg === msg);

/**
 * The worker's job scheduler (ADR 0016) with two real worker processes on one database and one
 * Redis: the nightly schedules re-timed to every second through SCHEDULE_OVERRIDES, so that a
 * few periods pass within the test.
 */
describe('job scheduler with two workers', () => {
  // A prefix of its own: the re-timed schedulers must not reach other files' workers.
  const prefix = `e2e-${process.env.E2E_RUN_ID}-sched`;
  const env = {
    QUEUE_PREFIX: prefix,
    // No relay or sweeper: the outbox rows this test plants must stay as planted.
    WORKER_QUEUES: 'platform,tenancy',
    // Every run's log line is counted below: debug writes each line as it comes (info buffers them).
    LOG_LEVEL: 'debug',
    SCHEDULE_OVERRIDES: JSON.stringify({ 'platform.retention': { every: 1_000 }, 'tenancy.refresh-token-retention': { every: 1_000 } }),
  };
  let db: Client;
  let api: RunningApi;
  let workers: (RunningProcess & { healthUrl: string })[] = [];
  const started = new Date();
  const tenantId = randomUUID();
  const events = { oldCompleted: randomUUID(), recentCompleted: randomUUID(), oldUnacknowledged: randomUUID(), oldUndispatched: randomUUID(), oldParked: randomUUID() };
  let session: { refreshToken: string; tenantId: string };
  let tokensPlanted: Date;

  // Positions below every real event's, in the order planted: the outbox is a log, and the events
  // other test files wrote before this one (all recent) must not sit between the planted ones.
  let position = -1_000_000;
  const plantEvent = async (id: string, ageDays: number, state: { dispatched?: boolean; completed?: boolean; failed?: boolean }) => {
    const occurred = new Date(Date.now() - ageDays * DAY_MS);
    await db.query(
      `INSERT INTO outbox (position, tenant_id, id, type, aggregate_type, aggregate_id, payload, occurred_at, dispatched_at, completed_at, failed_at)
       OVERRIDING SYSTEM VALUE VALUES ($7, $1, $2::uuid, 'platform.probe_requested', 'probe', $2::text, '{}', $3, $4, $5, $6)`,
      [tenantId, id, occurred, state.dispatched ? occurred : null, state.completed ? occurred : null, state.failed ? occurred : null, position++],
    );
    if (state.completed) await db.query(`INSERT INTO event_receipts (tenant_id, consumer, event_id) VALUES ($1, 'platform:platform.probe', $2)`, [tenantId, id]);
  };
  const retentionPeriods = async () =>
    (await db.query(`SELECT period_start FROM scheduled_runs WHERE schedule_id = 'platform.retention' AND period_start >= $1 ORDER BY period_start`, [started])).rows.map(
      (r: { period_start: Date }) => r.period_start.getTime(),
    );

  // Three processes boot here: on a busy machine that outlasts the default hook timeout.
  beforeAll(async () => {
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    await plantEvent(events.oldCompleted, 40, { dispatched: true, completed: true });
    await plantEvent(events.recentCompleted, 2, { dispatched: true, completed: true });
    await plantEvent(events.oldUnacknowledged, 40, { dispatched: true });
    await plantEvent(events.oldUndispatched, 40, {});
    await plantEvent(events.oldParked, 40, { dispatched: true, failed: true });

    api = await startApi({ QUEUE_PREFIX: prefix });
    const slug = `sched-${randomUUID().slice(0, 8)}`;
    const email = `owner@${slug}.test`;
    const created = await fetch(`${api.url}/v1/admin/tenants`, {
      method: 'POST',
      headers: adminHeaders(),
      body: JSON.stringify({ name: slug, slug, timezone: 'UTC', owner: { email, name: 'Owner', password: PASSWORD } }),
    });
    expect(created.status).toBe(201);
    const signedIn = await login(api.url, email);
    session = { refreshToken: signedIn.refreshToken, tenantId: signedIn.tenant.id };
    // A token of the same sign-in that expired yesterday.
    await db.query(
      `INSERT INTO refresh_tokens (tenant_id, user_id, family_id, token_hash, expires_at)
       SELECT tenant_id, user_id, family_id, 'expired-' || token_hash, now() - interval '1 day' FROM refresh_tokens WHERE tenant_id = $1`,
      [session.tenantId],
    );
    // Single sign-on state past its use (ADR 0033), and a live sign-in that must stay.
    await db.query(
      `INSERT INTO sso_requests (tenant_id, protocol, state_hash, nonce, code_verifier, expires_at)
       VALUES ($1::uuid, 'oidc', 'expired-state-' || $1::text, 'n', 'v', now() - interval '2 days'), ($1::uuid, 'saml', 'live-state-' || $1::text, '_r', '', now() + interval '10 minutes')`,
      [session.tenantId],
    );
    await db.query(`INSERT INTO sso_saml_assertions (tenant_id, assertion_id, expires_at) VALUES ($1, '_old', now() - interval '1 hour'), ($1, '_live', now() + interval '1 hour')`, [
      session.tenantId,
    ]);
    tokensPlanted = new Date();
    workers = await Promise.all([startWorker(env), startWorker(env)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await api?.stop();
    for (const name of ['platform', 'tenancy']) {
      const queue = new Queue(name, { connection: connection(), prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await db?.query(`DELETE FROM outbox WHERE tenant_id = $1`, [tenantId]);
    await db?.end();
  });

  it('keeps completed events within OUTBOX_RETENTION_DAYS, and every unfinished event however old', async () => {
    await waitFor(async () => (await retentionPeriods()).length >= 1, 'a retention run');
    const { rows } = await db.query(`SELECT id FROM outbox WHERE tenant_id = $1`, [tenantId]);
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual([events.recentCompleted, events.oldUnacknowledged, events.oldUndispatched, events.oldParked].sort());
    const receipts = await db.query(`SELECT event_id FROM event_receipts WHERE tenant_id = $1`, [tenantId]);
    expect(receipts.rows.map((r: { event_id: string }) => r.event_id)).toEqual([events.recentCompleted]);
  });

  it('deletes expired refresh tokens and sign-in state (tenancy’s own schedule) and keeps the live ones', async () => {
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM scheduled_runs WHERE schedule_id = 'tenancy.refresh-token-retention' AND period_start > $1`, [tokensPlanted])).rows.length > 0,
      'a refresh-token retention run',
    );
    const { rows } = await db.query(`SELECT expires_at > now() AS live FROM refresh_tokens WHERE tenant_id = $1`, [session.tenantId]);
    expect(rows).toEqual([{ live: true }]);
    const requests = await db.query(`SELECT protocol FROM sso_requests WHERE tenant_id = $1`, [session.tenantId]);
    expect(requests.rows).toEqual([{ protocol: 'saml' }]);
    const assertions = await db.query(`SELECT assertion_id FROM sso_saml_assertions WHERE tenant_id = $1`, [session.tenantId]);
    expect(assertions.rows).toEqual([{ assertion_id: '_live' }]);
    const refreshed = await fetch(`${api.url}/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }) });
    expect(refreshed.status).toBe(200);
  });

  it('shows each schedule with its next run, last run and last error on /health and /metrics', async () => {
    const health = await (await fetch(workers[0]!.healthUrl)).json();
    expect(health.status).toBe('ok');
    const retention = health.schedules.find((s: { id: string }) => s.id === 'platform.retention');
    expect(retention).toMatchObject({ queue: 'platform', job: 'platform.retention', timing: 'every 1000 ms', lastError: null });
    expect(Date.parse(retention.nextRunAt)).toBeGreaterThan(Date.parse(retention.lastRunAt) - 1_000);
    expect(Date.parse(retention.lastRunAt)).toBeGreaterThanOrEqual(started.getTime());
    expect(health.schedules.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['platform.retention', 'tenancy.refresh-token-retention']));
    const metrics = await (await fetch(workers[1]!.healthUrl.replace('/health', '/metrics'))).text();
    expect(metrics).toMatch(/^schedule_next_run_timestamp_seconds\{schedule="platform.retention"\} \d+/m);
    expect(metrics).toMatch(/^schedule_last_run_timestamp_seconds\{schedule="tenancy.refresh-token-retention"\} \d+/m);
  });

  it('skips a period delivered again after it completed (as after a restart or a lost acknowledgement)', async () => {
    const [period] = await retentionPeriods();
    const jobId = `repeat:platform.retention:${period}`;
    const queue = new Queue('platform', { connection: connection(), prefix });
    try {
      const job = await queue.getJob(jobId);
      expect(await job!.getState()).toBe('completed');
      const skipped = () => workers.map((w) => logged(w.output(), 'Period already completed; skipped').length).reduce((a, b) => a + b, 0);
      const before = skipped();
      // The same job, with the scheduler's options, back in the queue.
      await job!.retry('completed');
      await waitFor(async () => skipped() > before && (await job!.getState()) === 'completed', 'the second delivery to be skipped');
    } finally {
      await queue.close();
    }
    const receipts = await db.query(`SELECT count(*)::int AS n FROM scheduled_runs WHERE schedule_id = 'platform.retention' AND period_start = $1`, [new Date(period!)]);
    expect(receipts.rows[0].n).toBe(1);
  });

  it('runs a recurring job once per period, whichever of the two workers takes it', async () => {
    await waitFor(async () => (await retentionPeriods()).length >= 5, 'five retention periods', 30_000);
    // Stopping lets a run in progress finish, so every run is in the logs and the receipts.
    await Promise.all(workers.map((w) => w.stop()));
    const periods = await retentionPeriods();
    const runs = workers.flatMap((w) => logged(w.output(), 'Retention done'));
    expect(runs.length).toBe(periods.length);
    expect(new Set(periods).size).toBe(periods.length);
    for (let i = 1; i < periods.length; i++) expect(periods[i]! - periods[i - 1]!).toBeGreaterThanOrEqual(1_000);
  });
});

/**
 * Delayed jobs keyed for replacement (`QueueRegistry.schedule` / `cancel`) against the real Redis,
 * with a BullMQ worker in this process recording what it ran.
 */
describe('delayed jobs keyed for replacement', () => {
  const prefix = `e2e-${process.env.E2E_RUN_ID}-delayed`;
  const Remind = defineJob<{ visit: string; version: number }>()('widgets', 'widgets.remind');
  const Later = defineJob<{ visit: string; version: number }>()('gadgets', 'gadgets.remind');
  const context = defineContext({
    name: 'widgets',
    queues: [
      { name: 'widgets', description: 'test' },
      { name: 'gadgets', description: 'test' },
    ],
    jobs: [Remind, Later],
  });
  let moduleRef: TestingModule;
  let queues: QueueRegistry;
  const workers: Worker[] = [];
  const ran: { queue: string; data: { visit: string; version: number } }[] = [];
  let gate: Promise<void> | null = null;

  const consume = (name: string, autorun = true) => {
    const worker = new Worker(
      name,
      async (job: Job) => {
        ran.push({ queue: name, data: job.data });
        if (gate) await gate;
      },
      { connection: connection(), prefix, autorun },
    );
    workers.push(worker);
    return worker;
  };
  const ranFor = (visit: string) => ran.filter((r) => r.data.visit === visit).map((r) => r.data.version);
  const soon = (ms: number) => new Date(Date.now() + ms);

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [BullModule.forRoot({ connection: connection(), prefix }), BullModule.registerQueue({ name: 'widgets' }, { name: 'gadgets' })],
      providers: [QueueRegistry, { provide: ContextRegistry, useValue: new ContextRegistry([context]) }],
    }).compile();
    queues = moduleRef.get(QueueRegistry);
    consume('widgets');
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    for (const queue of queues.all()) await queue.obliterate({ force: true });
    await moduleRef?.close();
  });

  it('a replaced delayed job does not fire; its replacement and other keys’ jobs do', async () => {
    const visit = randomUUID();
    const other = randomUUID();
    await queues.schedule(Remind, { visit, version: 1 }, { key: `reminder:${visit}`, runAt: soon(700) });
    await queues.schedule(Remind, { visit: other, version: 1 }, { key: `reminder:${other}`, runAt: soon(700) });
    await queues.schedule(Remind, { visit, version: 2 }, { key: `reminder:${visit}`, runAt: soon(1_400) });
    await waitFor(async () => ranFor(visit).length > 0, 'the replacement to fire');
    await sleep(500);
    expect(ranFor(visit)).toEqual([2]);
    expect(ranFor(other)).toEqual([1]);
  });

  it('replaces a job that is already due but that no worker has taken yet', async () => {
    const visit = randomUUID();
    await queues.schedule(Later, { visit, version: 1 }, { key: `reminder:${visit}`, runAt: new Date() });
    await queues.schedule(Later, { visit, version: 2 }, { key: `reminder:${visit}`, runAt: new Date() });
    const gadgets = consume('gadgets', false);
    void gadgets.run();
    await waitFor(async () => ranFor(visit).length > 0, 'the due job to run');
    await sleep(500);
    expect(ranFor(visit)).toEqual([2]);
  });

  it('runs a replacement made while the job runs after it, not instead of it', async () => {
    const visit = randomUUID();
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    try {
      await queues.schedule(Remind, { visit, version: 1 }, { key: `reminder:${visit}`, runAt: new Date() });
      await waitFor(async () => ranFor(visit).length === 1, 'the first job to start');
      await queues.schedule(Remind, { visit, version: 2 }, { key: `reminder:${visit}`, runAt: new Date() });
      await sleep(300);
      expect(ranFor(visit)).toEqual([1]);
    } finally {
      gate = null;
      open();
    }
    await waitFor(async () => ranFor(visit).length === 2, 'the replacement to run');
    expect(ranFor(visit)).toEqual([1, 2]);
  });

  it('cancels the pending job of a key', async () => {
    const visit = randomUUID();
    await queues.schedule(Remind, { visit, version: 1 }, { key: `reminder:${visit}`, runAt: soon(500) });
    expect(await queues.cancel(Remind, `reminder:${visit}`)).toBe(true);
    expect(await queues.cancel(Remind, `reminder:${visit}`)).toBe(false);
    await sleep(1_000);
    expect(ranFor(visit)).toEqual([]);
  });
});
