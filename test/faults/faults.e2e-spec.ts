import { setTimeout as sleep } from 'node:timers/promises';
import { EMBEDDED_IDLE_IN_TRANSACTION_TIMEOUT_MS } from '../../libs/platform/src/database/embedded/embedded-postgres';
import { startRedis, waitFor } from '../support/processes';
import { acknowledged, activeJobs, expectRecovered, p99, startCluster, startLoad, unclear, type Cluster, type Outcome } from './cluster';

/**
 * The fault suite: 2 api + 2 worker processes on their own embedded database, Redis and queue
 * prefix, each fault injected under a load of writes (tickets, published articles, probes) through
 * both apis. After each: every acknowledged write is there once, every committed event reached each
 * of its consumers exactly once, no job is left in a queue. The scenarios share one cluster and run
 * in order (the worker kill and the api SIGTERM last, as they leave one process of their kind),
 * because starting four processes per scenario would not fit the suite's 5 minutes on a small box;
 * the checks are cumulative, so a later scenario also re-proves what the earlier ones left.
 */
describe('faults', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster();
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const during = (outcomes: Outcome[], from: number, to: number) => outcomes.filter((o) => o.startedAt >= from && o.startedAt < to);

  // On the embedded database every client waits while one holds the single session inside a
  // transaction, so a worker stopped mid-transaction delays every write until the embedded server's
  // idle-in-transaction limit (2 s) rolls it back and closes that worker's queued connections:
  // writes are delayed by about that limit, never lost or failed. (On a real PostgreSQL a paused
  // worker holds only its own rows; the api does not wait for it.) The bound asserted is the limit
  // plus room for a loaded machine, far below the 10-20 s a stalled chain of the paused worker's
  // connections used to cost.
  it('a worker paused (SIGSTOP) past the relay lease and the acknowledgement timeout: writes are delayed at most by the embedded idle-in-transaction limit, none fails, the other worker carries on', async () => {
    const load = startLoad(cluster, { concurrency: 4, timeoutMs: 20_000 });
    await acknowledged(load, 10);
    const paused = cluster.workers[1]!;
    paused.child.kill('SIGSTOP');
    const from = Date.now();
    try {
      // The live worker consumes what is committed during the pause: a probe acknowledged now runs.
      await waitFor(async () => {
        const ids = load.outcomes.filter((o) => o.kind === 'probe' && o.status === 201 && o.startedAt >= from).map((o) => o.id);
        if (ids.length === 0) return false;
        const rows = await cluster.query(`SELECT count(*)::int AS n FROM probes WHERE id = ANY($1::uuid[]) AND consumption_count = 1`, [ids]);
        return rows[0].n > 0;
      }, 'a probe committed during the pause to be consumed by the other worker', 30_000);
      await acknowledged(load, 20);
      // Held past the relay's claim lease (1 s) and several acknowledgement timeouts (1 s).
      const held = Date.now() - from;
      if (held < 5_000) await sleep(5_000 - held);
    } finally {
      paused.child.kill('SIGCONT');
    }
    const to = Date.now();
    await acknowledged(load, 10);
    const outcomes = await load.stop();

    const inPause = during(outcomes, from, to);
    expect(inPause.filter((o) => o.status !== 201)).toEqual([]);
    expect(inPause.length).toBeGreaterThanOrEqual(20);
    // The limit plus ordinary latency, which a loaded machine raises for every write alike.
    const before = outcomes.filter((o) => o.startedAt < from);
    expect(Math.max(...inPause.map((o) => o.ms))).toBeLessThan(EMBEDDED_IDLE_IN_TRANSACTION_TIMEOUT_MS + Math.max(4_000, 3 * p99(before.map((o) => o.ms))));
    await expectRecovered(cluster, outcomes);
  }, 120_000);

  it('Redis killed and restarted empty: writes keep being answered, and every committed event reaches its consumers once', async () => {
    const load = startLoad(cluster, { concurrency: 4, timeoutMs: 10_000 });
    await acknowledged(load, 10);
    const port = cluster.redis.port;
    expect(await cluster.redis.stop('SIGKILL')).toBeNull();
    const from = Date.now();
    // Writes while Redis is gone, through both apis.
    await waitFor(async () => during(load.outcomes, from, Infinity).length >= 20 && Date.now() - from >= 5_000, 'writes during the outage', 30_000);
    const restartedAt = Date.now();
    cluster.redis = await startRedis(port);
    const to = Date.now();
    await acknowledged(load, 20);
    const outcomes = await load.stop();

    const inOutage = during(outcomes, from, to);
    expect(unclear(inOutage)).toEqual([]);
    expect(inOutage.filter((o) => o.status === 201).length).toBeGreaterThan(0);
    // None waited for Redis to come back: every write sent well before the restart was answered before it.
    const early = during(outcomes, from, restartedAt - 2_500);
    expect(early.length).toBeGreaterThan(0);
    expect(early.filter((o) => o.startedAt + o.ms >= restartedAt)).toEqual([]);
    // (How fast they were answered is not asserted: a loaded CI machine made a p99 bound flaky,
    // 2.5 s against 1.5 s allowed; that no write waited for the restart is the property.)
    expect(unclear(outcomes)).toEqual([]);
    await expectRecovered(cluster, outcomes);
  }, 120_000);

  it('the database killed and restarted: 503 while it is down, no acknowledged write lost, the workers resume', async () => {
    const load = startLoad(cluster, { concurrency: 4 });
    await acknowledged(load, 10);
    await cluster.database.stop();
    const from = Date.now();
    await waitFor(async () => during(load.outcomes, from, Infinity).filter((o) => o.status === 503).length >= 10, '503 answers while the database is down', 30_000);
    const to = Date.now();
    await cluster.database.start();
    await acknowledged(load, 20, 60_000);
    const outcomes = await load.stop();

    const inOutage = during(outcomes, from, to);
    // Requests already inside the database when it stopped may have committed; the rest are refused clearly.
    expect(inOutage.filter((o) => o.status !== 201 && o.status !== 503)).toEqual([]);
    expect(inOutage.filter((o) => o.status === 503).every((o) => /problem\+json/.test(o.contentType ?? ''))).toBe(true);
    expect(unclear(outcomes)).toEqual([]);
    await expectRecovered(cluster, outcomes);
  }, 150_000);

  it('a worker killed (kill -9) mid-batch: the other worker finishes everything, nothing lost, nothing twice', async () => {
    const load = startLoad(cluster, { concurrency: 4 });
    await acknowledged(load, 15);
    // Killed while jobs run (with both workers busy, likely some of its own): those stay active
    // under its lock until BullMQ's stall check hands them to the other worker.
    await waitFor(async () => (await activeJobs(cluster)) >= 2, 'jobs running on the workers', 15_000).catch(() => undefined);
    expect(await cluster.workers[0]!.stop('SIGKILL')).toBeNull();
    cluster.workers.shift();
    await acknowledged(load, 20);
    const outcomes = await load.stop();

    expect(unclear(outcomes)).toEqual([]);
    // A job the killed worker held waits for its lock to lapse and for two of BullMQ's stall checks
    // (every 30 s) on the other worker: up to about 90 s on a loaded machine.
    await expectRecovered(cluster, outcomes, 150_000);
  }, 210_000);

  it('SIGTERM of one api under load: its in-flight requests are answered, the other api takes the writes, nothing acknowledged is lost', async () => {
    const load = startLoad(cluster, { concurrency: 8 });
    await acknowledged(load, 15);
    // New requests go to the other api from now on; those already sent to this one must be answered.
    load.avoid(0);
    const drained = cluster.apis[0]!;
    const inFlight = load.outcomes.length;
    expect(await drained.stop('SIGTERM')).toBe(0);
    await acknowledged(load, 15);
    const outcomes = await load.stop();

    expect(outcomes.slice(inFlight).filter((o) => o.api === 0).length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.status === 0)).toEqual([]);
    expect(unclear(outcomes)).toEqual([]);
    await expectRecovered(cluster, outcomes);
  }, 120_000);
});
