import { isDeepStrictEqual } from 'node:util';
import { Pool, type PoolClient } from 'pg';
import type { QueryBus } from '@nestjs/cqrs';
import type { EnvelopeOf, QueueRegistry, Statement, TenantTransaction } from '../libs/platform/src/index';
import { EventConsumer } from '../libs/platform/src/outbox/event-consumer';
import type { TenantTx } from '../libs/platform/src/database/tenant-transaction';
import { periodsOf, reportMetrics } from '../libs/reporting/src/domain/report-builder';
import { computeTicketMetrics } from '../libs/reporting/src/domain/ticket-metrics';
import { MetricsRepository } from '../libs/reporting/src/repositories/metrics.repository';
import { RollupsRepository } from '../libs/reporting/src/repositories/rollups.repository';
import { levelFor } from '../libs/reporting/src/repositories/rollups.sql';
import type { ReportingConfig } from '../libs/reporting/src/reporting.context';
import { RecomputeTicketMetricsJob } from '../libs/reporting/src/worker/recompute-ticket-metrics.job';
import { TicketMetricsUpdater } from '../libs/reporting/src/worker/ticket-metrics-updater';
import { TrackTicketMetricsJob } from '../libs/reporting/src/worker/track-ticket-metrics.job';
import { TicketCreated, TicketUpdated, type TicketTimelinesQuery } from '../libs/tickets/src/index';
import { TimelinesRepository } from '../libs/tickets/src/repositories/timelines.repository';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { fixed, renderTable } from './support/table';

/** Tickets seeded (each with 3 to 9 history entries); REPORTING_BENCH_TICKETS=1000000 for the full size. */
const TICKETS = Number(process.env.REPORTING_BENCH_TICKETS ?? 1_000);
/** Tickets the two comparison paths (the former per-event worker path, the rebuild) replay: they are too slow for the full size. */
const SAMPLE = Math.min(TICKETS, Number(process.env.REPORTING_BENCH_SAMPLE_TICKETS ?? 1_000));
/** The worker's settings (REPORTING_METRICS_DEBOUNCE_MS, REPORTING_METRICS_BATCH) as the bench runs them. */
const DEBOUNCE_MS = Number(process.env.REPORTING_METRICS_DEBOUNCE_MS ?? 200);
const RECOMPUTE_BATCH = Number(process.env.REPORTING_METRICS_BATCH ?? 500);
/** Tickets whose stored figures are checked against a fresh computation from their timelines after the replay. */
const VERIFIED = Math.min(TICKETS, 2_000);
const BATCH = 200;
const CONSUMER = 'metrics-rollup:reporting.ticket-metrics';
/** Jobs the worker runs at once (the metrics-rollup processor's concurrency); REPORTING_BENCH_CONCURRENCY. */
const CONCURRENCY = Number(process.env.REPORTING_BENCH_CONCURRENCY ?? 16);

interface Figures {
  events: number;
  tickets: number;
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  recomputes?: number;
  recomputedTickets?: number;
  recomputeMs?: number;
}

function memorySampler() {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 10);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return { peakRssMb: rss / 2 ** 20, peakHeapMb: heap / 2 ** 20 };
    },
  };
}

/** The transaction open on the bench's client: the timelines query runs in it, as the tickets context's handler joins the caller's transaction. */
let current: TenantTx | null = null;

/**
 * The worker's pinned tenant transaction over one client: tenant set, application role (row-level
 * security applies); BEGIN and the pin pipelined with the work's first statement, as the worker's
 * tenant transaction sends them (the pool runs in pipeline mode).
 */
async function inTenant<T>(client: PoolClient, tenantId: string, work: (tx: TenantTx) => Promise<T>): Promise<T> {
  const opened = Promise.all([client.query('BEGIN'), client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [tenantId])]);
  opened.catch(() => undefined); // observed below, after the work
  try {
    const tx = { tenantId, manager: { query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows } } as unknown as TenantTx;
    current = tx;
    const out = await work(tx);
    await opened;
    await client.query('COMMIT');
    return out;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    current = null;
  }
}

/** `TenantTransaction.runBatch` over the bench's client: BEGIN, the pin, the statements and COMMIT in one write, answered in one round trip. */
async function inOneTrip(client: PoolClient, tenantId: string, statements: readonly Statement[]): Promise<Record<string, unknown>[][]> {
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
  stream?.cork?.();
  let sent: Promise<{ rows: Record<string, unknown>[] }>[];
  try {
    sent = [
      client.query('BEGIN'),
      client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [tenantId]),
      ...statements.map((st) => client.query(st.sql, st.params as unknown[])),
      client.query('COMMIT'),
    ];
  } finally {
    stream?.uncork?.();
  }
  const settled = await Promise.allSettled(sent);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw (failed as PromiseRejectedResult).reason;
  }
  return settled.slice(2, -1).map((r) => (r as PromiseFulfilledResult<{ rows: Record<string, unknown>[] }>).value.rows);
}

/** The reporting worker's classes over the bench's client: the same handler, recompute job, updater and repositories the worker runs. */
function workerOn(client: PoolClient) {
  const timelines = new TimelinesRepository();
  const metrics = new MetricsRepository();
  const queries = { execute: (q: TicketTimelinesQuery) => timelines.read(current!, q.selection) } as unknown as QueryBus;
  const updater = new TicketMetricsUpdater(queries, metrics, new RollupsRepository());
  const counts = { recomputed: 0 };
  const refreshDirty = updater.refreshDirty.bind(updater);
  updater.refreshDirty = async (tx, limit) => {
    const n = await refreshDirty(tx, limit);
    counts.recomputed += n;
    return n;
  };
  const transactions = {
    run: <T>(ctx: { tenantId: string }, work: (tx: TenantTx) => Promise<T>) => inTenant(client, ctx.tenantId, work),
    runBatch: (ctx: { tenantId: string }, statements: readonly Statement[]) => inOneTrip(client, ctx.tenantId, statements),
  } as unknown as TenantTransaction;
  const config = { REPORTING_METRICS_DEBOUNCE_MS: DEBOUNCE_MS, REPORTING_METRICS_BATCH: RECOMPUTE_BATCH } as ReportingConfig;
  // BullMQ's part, in process: the first queued recompute is due a debounce later, the next ones fold into it.
  const queue = { dueAt: null as number | null };
  const queues = {
    add: async (_definition: unknown, _payload: unknown, options: { delay?: number }) => {
      queue.dueAt ??= performance.now() + (options.delay ?? 0);
    },
  } as unknown as QueueRegistry;
  return {
    timelines,
    metrics,
    updater,
    queue,
    counts,
    handler: new TrackTicketMetricsJob(new EventConsumer(transactions), queues, config),
    recompute: new RecomputeTicketMetricsJob(transactions, updater, config),
  };
}

/**
 * The worker path as the worker runs it: every event of every ticket, in the order they happened
 * (interleaved across tickets), delivered to TrackTicketMetricsJob `concurrency` at a time (the
 * metrics-rollup queue's concurrency: BullMQ hands a worker that many jobs at once) — their
 * receipts and the tickets' marks group-committed by EventConsumer.onceBatched — and, whenever the
 * queued recompute is due (a debounce after the first mark), RecomputeTicketMetricsJob over
 * everything marked, in batches. `maxEvents` replays only the first events; `consumer` names the
 * receipts (a second replay under another name finds none of the first one's).
 */
async function replayBatched(
  client: PoolClient,
  tenantId: string,
  signal: AbortSignal,
  log: (line: string) => void,
  options: { concurrency: number; maxEvents?: number; consumer?: string },
): Promise<Figures> {
  const worker = workerOn(client);
  const memory = memorySampler();
  const t0 = performance.now();
  const maxEvents = options.maxEvents ?? Number.MAX_SAFE_INTEGER;
  let events = 0;
  let recomputes = 0;
  let recomputeMs = 0;
  let after = 0;
  let logged = 0;
  const runDue = async (force: boolean) => {
    if (worker.queue.dueAt === null || (!force && performance.now() < worker.queue.dueAt)) return;
    worker.queue.dueAt = null;
    const r0 = performance.now();
    await worker.recompute.handle({ tenantId });
    recomputeMs += performance.now() - r0;
    recomputes++;
  };
  while (events < maxEvents) {
    if (signal.aborted) throw signal.reason;
    const page = (await client.query(`SELECT n, id, ticket_id, action FROM bench_replay WHERE n > $1 ORDER BY n LIMIT $2`, [after, Math.min(1000, maxEvents - events)])).rows as {
      n: string;
      id: string;
      ticket_id: string;
      action: string;
    }[];
    if (page.length === 0) break;
    for (let i = 0; i < page.length; i += options.concurrency) {
      const jobs = page.slice(i, i + options.concurrency).map((e) => {
        const type = e.action === 'ticket.created' ? TicketCreated.type : TicketUpdated.type;
        const envelope = { id: e.id, type, tenantId, aggregateId: e.ticket_id, actorId: null, correlationId: null, payload: {} } as unknown as EnvelopeOf<typeof TicketUpdated>;
        return worker.handler.handle(envelope, options.consumer ?? CONSUMER);
      });
      await Promise.all(jobs);
      events += jobs.length;
      await runDue(false);
    }
    after = Number(page.at(-1)!.n);
    memory.sample();
    if (events - logged >= 100_000) {
      logged = events;
      log(`  ${events} events, ${recomputes} recompute jobs, ${fixed((events / (performance.now() - t0)) * 1000, 0)} events/s so far, RSS ${fixed(process.memoryUsage().rss / 2 ** 20, 0)} MB (${new Date().toISOString().slice(11, 19)} UTC)`);
    }
  }
  await runDue(true);
  return { events, tickets: TICKETS, recomputes, recomputeMs, recomputedTickets: worker.counts.recomputed, ms: performance.now() - t0, ...memory.stop() };
}

/**
 * The comparison paths over the first SAMPLE tickets (id order). `per-event`: the former worker
 * path, one transaction per event that reads the ticket's timeline, computes and writes its
 * figures; `rebuild`: the operator's rebuild, 200 tickets per transaction through the updater.
 */
async function replaySample(client: PoolClient, tenantId: string, mode: 'per-event' | 'rebuild', signal: AbortSignal): Promise<Figures> {
  const { timelines, metrics, updater } = workerOn(client);
  const memory = memorySampler();
  const t0 = performance.now();
  const figures = { events: 0, tickets: 0 };
  let after: string | null = null;
  while (figures.tickets < SAMPLE) {
    if (signal.aborted) throw signal.reason;
    const limit = Math.min(BATCH, SAMPLE - figures.tickets);
    const batch =
      mode === 'rebuild'
        ? await inTenant(client, tenantId, async (tx) => {
            const read = await timelines.read(tx, { after, limit });
            await updater.rebuildBatch(tx, after, limit);
            return read;
          })
        : await inTenant(client, tenantId, (tx) => timelines.read(tx, { after, limit }));
    if (batch.length === 0) break;
    if (mode === 'per-event') {
      for (const t of batch) {
        for (let i = 0; i < t.entries.length; i++) {
          await inTenant(client, tenantId, async (tx) => {
            const [timeline] = await timelines.read(tx, { ids: [t.ticketId] });
            const { metrics: m, intervals } = computeTicketMetrics(timeline!);
            await metrics.save(tx, m, intervals);
          });
        }
      }
    }
    figures.tickets += batch.length;
    figures.events += batch.reduce((n, t) => n + t.entries.length, 0);
    memory.sample();
    after = batch.at(-1)!.ticketId;
  }
  return { ...figures, ms: performance.now() - t0, ...memory.stop() };
}

/** The first VERIFIED tickets' stored figures and intervals equal a fresh computation from their timelines (what a per-ticket recompute writes). */
async function verify(client: PoolClient, tenantId: string): Promise<number> {
  const { timelines, metrics } = workerOn(client);
  return inTenant(client, tenantId, async (tx) => {
    const read = await timelines.read(tx, { after: null, limit: VERIFIED });
    const ids = read.map((t) => t.ticketId);
    const stored = new Map((await metrics.findMany(tx, ids)).map((m) => [m.ticketId, m]));
    const intervals = await metrics.intervalsMany(tx, ids);
    for (const t of read) {
      const want = computeTicketMetrics(t);
      const got = { metrics: stored.get(t.ticketId), intervals: intervals.get(t.ticketId) ?? [] };
      if (!isDeepStrictEqual(got, want)) throw new Error(`ticket ${t.ticketId}: stored ${JSON.stringify(got)}, computed ${JSON.stringify(want)}`);
    }
    const [{ n: left }] = (await client.query(`SELECT count(*)::int AS n FROM reporting_ticket_dirty`)).rows as { n: number }[];
    if (left !== 0) throw new Error(`${left} tickets still marked after the replay`);
    return read.length;
  });
}

/** The baseline: the same events aggregated by one SQL statement into per-ticket counts and first reply times (no intervals, no business time). */
async function rawAggregation(client: PoolClient, tenantId: string, events: number, tickets: number): Promise<Figures> {
  const memory = memorySampler();
  const t0 = performance.now();
  await client.query('DROP TABLE IF EXISTS bench_raw_metrics');
  await client.query(
    `CREATE TABLE bench_raw_metrics AS
     SELECT ticket_id,
            count(*) FILTER (WHERE changes -> 'message' -> 'to' ->> 'visibility' = 'public' AND changes -> 'message' -> 'to' ->> 'authorType' = 'agent') AS public_replies,
            count(*) FILTER (WHERE changes -> 'message' -> 'to' ->> 'visibility' = 'internal') AS internal_notes,
            count(*) FILTER (WHERE changes -> 'status' ->> 'from' IN ('solved', 'closed') AND changes -> 'status' ->> 'to' NOT IN ('solved', 'closed')) AS reopens,
            count(*) FILTER (WHERE action <> 'ticket.created' AND changes ? 'assigneeId') AS assignee_changes,
            extract(epoch FROM min(created_at) FILTER (WHERE changes -> 'message' -> 'to' ->> 'visibility' = 'public' AND changes -> 'message' -> 'to' ->> 'authorType' = 'agent')
                               - min(created_at) FILTER (WHERE action = 'ticket.created')) / 60 AS first_reply_minutes
       FROM ticket_events WHERE tenant_id = $1 GROUP BY ticket_id`,
    [tenantId],
  );
  return { events, tickets, ms: performance.now() - t0, ...memory.stop() };
}

/**
 * Ticket metrics throughput (issue #20): every history event of N tickets replayed through the
 * metrics worker (events/s per worker connection, peak memory), beside a raw SQL aggregation of
 * the same events as the baseline, and the former per-event path and the rebuild on a sample.
 */
export const reportingBenchmark: Benchmark = {
  name: 'reporting',
  description: `ticket metrics: events of ${TICKETS} tickets (REPORTING_BENCH_TICKETS) replayed through the worker (${CONCURRENCY} jobs at a time, receipts group-committed, batched recompute; events/s, peak memory) vs a raw SQL aggregation; one job at a time, per-event and rebuild paths on ${SAMPLE} tickets`,
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const pool = new Pool({ connectionString: database.url, max: 1, pipeline: true });
    cleanup.add('close pool', () => pool.end());
    const client = await pool.connect();
    cleanup.add('release client', () => client.release());

    const started = Date.now();
    log(`seeding ${TICKETS} tickets with their histories…`);
    const [{ id: tenantId }] = (await client.query(`INSERT INTO tenants (slug, name) VALUES ('reporting-bench', 'Reporting bench') RETURNING id`)).rows as { id: string }[];
    const [{ id: contact }] = (await client.query(`INSERT INTO contacts (tenant_id, name) VALUES ($1, 'Requester') RETURNING id`, [tenantId])).rows as { id: string }[];
    const agent = '00000000-0000-4000-8000-00000000a001';
    await client.query(`SELECT setseed(0.51)`);
    await client.query(
      `INSERT INTO tickets (tenant_id, number, subject, status, priority, type, channel, requester_id, tags, created_at, updated_at)
       SELECT $1, g, 'Ticket ' || g, CASE WHEN g % 3 = 0 THEN 'open' ELSE 'solved' END, (ARRAY['low','normal','high','urgent'])[1 + g % 4], 'question', 'email', $2, '{}'::text[],
              now() - make_interval(secs => (random() * 60 * 86400)::int), now()
         FROM generate_series(1, $3::int) g`,
      [tenantId, contact, TICKETS],
    );
    // A help desk's conversation: created, an internal note for some, the first reply, a requester's answer and the next reply for half, solved for two in three, reopened and solved again for some.
    await client.query(
      `INSERT INTO ticket_events (tenant_id, ticket_id, action, changes, actor_type, created_at)
       SELECT t.tenant_id, t.id, e.action, e.changes, e.actor, t.created_at + e.offset_s * interval '1 second'
         FROM tickets t, LATERAL (SELECT abs(hashtext(t.id::text)) % 100 AS h) k,
         LATERAL (VALUES
           (0, 'ticket.created', jsonb_build_object('status', jsonb_build_object('to', 'new'), 'assigneeId', jsonb_build_object('to', NULL), 'groupId', jsonb_build_object('to', NULL)), 'system'),
           (600, CASE WHEN k.h < 30 THEN 'ticket.message_added' END, '{"message": {"to": {"visibility": "internal", "authorType": "agent"}}}'::jsonb, 'user'),
           (900, 'ticket.updated', jsonb_build_object('assigneeId', jsonb_build_object('from', NULL, 'to', '${agent}')), 'user'),
           (1800, 'ticket.message_added', '{"message": {"to": {"visibility": "public", "authorType": "agent"}}, "status": {"from": "new", "to": "open"}}'::jsonb, 'user'),
           (7200, CASE WHEN k.h < 50 THEN 'ticket.message_added' END, '{"message": {"to": {"visibility": "public", "authorType": "contact"}}}'::jsonb, 'system'),
           (9000, CASE WHEN k.h < 50 THEN 'ticket.message_added' END, '{"message": {"to": {"visibility": "public", "authorType": "agent"}}}'::jsonb, 'user'),
           (10800, CASE WHEN t.status = 'solved' THEN 'ticket.updated' END, '{"status": {"from": "open", "to": "solved"}}'::jsonb, 'user'),
           (20000, CASE WHEN t.status = 'solved' AND k.h < 10 THEN 'ticket.message_added' END, '{"message": {"to": {"visibility": "public", "authorType": "contact"}}, "status": {"from": "solved", "to": "open"}}'::jsonb, 'system'),
           (30000, CASE WHEN t.status = 'solved' AND k.h < 10 THEN 'ticket.updated' END, '{"status": {"from": "open", "to": "solved"}}'::jsonb, 'user')
         ) AS e(offset_s, action, changes, actor)
        WHERE t.tenant_id = $1 AND e.action IS NOT NULL`,
      [tenantId],
    );
    await client.query('ANALYZE');
    const [{ n: events }] = (await client.query(`SELECT count(*)::int AS n FROM ticket_events WHERE tenant_id = $1`, [tenantId])).rows as { n: number }[];
    log(`seeded ${TICKETS} tickets, ${events} history entries in ${Math.round((Date.now() - started) / 1000)} s (database: ${database.kind})`);

    // The order the events happened in, across tickets, as the relay would deliver them.
    await client.query(
      `CREATE TABLE bench_replay AS SELECT row_number() OVER (ORDER BY created_at, position) AS n, id, ticket_id, action FROM ticket_events WHERE tenant_id = $1`,
      [tenantId],
    );
    await client.query(`ALTER TABLE bench_replay ADD PRIMARY KEY (n)`);
    log(`events ordered for the replay in ${Math.round((Date.now() - started) / 1000)} s since the start`);

    log(`replaying every event through the worker (${CONCURRENCY} jobs at a time, receipts and marks group-committed; recompute every ${DEBOUNCE_MS} ms, ${RECOMPUTE_BATCH} tickets per transaction)…`);
    const batched = await replayBatched(client, tenantId, signal, log, { concurrency: CONCURRENCY });
    const [{ n: stored }] = (await client.query(`SELECT count(*)::int AS n FROM reporting_ticket_metrics WHERE tenant_id = $1`, [tenantId])).rows as { n: number }[];
    if (stored !== TICKETS) throw new Error(`expected metrics for ${TICKETS} tickets, found ${stored}`);
    const verified = await verify(client, tenantId);
    log(`${verified} tickets' figures and intervals equal a fresh per-ticket computation; no marks left`);
    log('baseline: one raw SQL aggregation of the same events…');
    const raw = await rawAggregation(client, tenantId, events, TICKETS);
    // The same worker one job at a time (each receipt its own transaction, as before ADR 0069), over the first events, as many as the sample's tickets have.
    const sampleEvents = Math.round((events * SAMPLE) / TICKETS);
    log(`the worker one job at a time over the first ${sampleEvents} events…`);
    const oneAtATime = await replayBatched(client, tenantId, signal, () => undefined, { concurrency: 1, maxEvents: sampleEvents, consumer: `${CONSUMER}:one-at-a-time` });
    log(`the former per-event path on ${SAMPLE} tickets…`);
    const perEvent = await replaySample(client, tenantId, 'per-event', signal);
    log(`the rebuild path on ${SAMPLE} tickets…`);
    const rebuild = await replaySample(client, tenantId, 'rebuild', signal);

    const row = (label: string, f: Figures) => [label, String(f.events), String(f.tickets), fixed(f.ms / 1000, 2), fixed((f.events / f.ms) * 1000, 0), fixed(f.peakRssMb, 0), fixed(f.peakHeapMb, 0)];
    log('');
    log(
      renderTable(
        ['pass', 'events', 'tickets', 's', 'events/s', 'peak RSS MB', 'peak heap MB'],
        [
          row(`worker: ${CONCURRENCY} jobs at a time, receipts group-committed`, batched),
          row('worker: one job at a time (a transaction per receipt)', { ...oneAtATime, tickets: SAMPLE }),
          row('former worker path: every event recomputes its ticket', perEvent),
          row('rebuild path: 200 tickets per transaction', rebuild),
          row('baseline: raw SQL aggregation', raw),
        ],
      ),
    );
    log('');
    log(
      `recompute jobs: ${batched.recomputes} (debounce ${DEBOUNCE_MS} ms, batch ${RECOMPUTE_BATCH}), ${fixed(batched.recomputeMs! / 1000, 1)} s of the worker's ${fixed(batched.ms / 1000, 1)} s; ` +
        `tickets recomputed: ${batched.recomputedTickets} (${fixed(batched.recomputedTickets! / batched.events, 2)} per event, ${fixed((batched.recomputedTickets! / batched.recomputeMs!) * 1000, 0)} tickets/s in the batches); ` +
        `receipts and marks: ${fixed((batched.events / (batched.ms - batched.recomputeMs!)) * 1000, 0)} events/s`,
    );
    const rate = (f: Figures) => f.events / f.ms;
    log(
      `worker / raw SQL aggregation: ${fixed(batched.ms / raw.ms, 1)}× the time; worker vs one job at a time: ${fixed(rate(batched) / rate(oneAtATime), 1)}× the events/s; vs former per-event path: ${fixed(rate(batched) / rate(perEvent), 1)}×; rebuild vs per-event: ${fixed(rate(rebuild) / rate(perEvent), 1)}×`,
    );
  },
};

/** Dashboards bench size: agents (in GROUPS groups) × two years of days, REPORTING_BENCH_AGENTS / REPORTING_BENCH_DAYS. */
const AGENTS = Number(process.env.REPORTING_BENCH_AGENTS ?? 50);
const GROUPS = 20;
const DAYS = Number(process.env.REPORTING_BENCH_DAYS ?? 730);
/** Queries per measured variant. */
const QUERY_RUNS = Number(process.env.REPORTING_BENCH_QUERY_RUNS ?? 20);
/** Tickets whose days the recompute pass rolls up (spread over 60 days). */
const RECOMPUTE_TICKETS = Number(process.env.REPORTING_BENCH_RECOMPUTE_TICKETS ?? 5_000);

const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)]!;

async function timed(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)]!, p95: p95(samples) };
}

/**
 * Dashboards: the report query (`GetReportHandler`'s statements, through RollupsRepository, in a
 * pinned tenant transaction) over two years of daily rollups of a tenant with 50 agents in 20
 * groups, against a hand-written SQL sum of the same rows (no percentiles, no end-of-period
 * backlog) as the baseline, in one run; and the roll-up's recompute throughput (days and tickets per second).
 */
export const reportingDashboardsBenchmark: Benchmark = {
  name: 'reporting-dashboards',
  description: `dashboards: report query p95 over ${DAYS} days of rollups for ${AGENTS} agents in ${GROUPS} groups vs a raw SQL sum; rollup recompute throughput over ${RECOMPUTE_TICKETS} tickets`,
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const pool = new Pool({ connectionString: database.url, max: 1 });
    cleanup.add('close pool', () => pool.end());
    const client = await pool.connect();
    cleanup.add('release client', () => client.release());
    const rollups = new RollupsRepository();

    const [{ id: tenantId }] = (await client.query(`INSERT INTO tenants (slug, name) VALUES ('dashboards-bench', 'Dashboards bench') RETURNING id`)).rows as { id: string }[];
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    log(`seeding ${DAYS} days of rollups for ${AGENTS} agents in ${GROUPS} groups…`);
    let t0 = performance.now();
    await client.query(`SELECT setseed(0.59)`);
    // Per day and agent: two channels; each grain with created, solved, reopened, backlog and three reply and resolution values; one marker row a day.
    await client.query(
      `INSERT INTO reporting_daily_rollups (tenant_id, day, level, group_id, agent_id, channel, priority, tag, metric, key, n, amount, vals)
       SELECT $1, d::date, 'grain', lpad(to_hex(a % $4), 8, '0') || '-0000-4000-8000-000000000000', lpad(to_hex(a), 8, '0') || '-0000-4000-8000-00000000a000', c, 'normal', '', m, '',
              CASE WHEN m IN ('first_reply', 'resolution') THEN 3 ELSE 1 + (random() * 6)::int END, 0,
              CASE WHEN m IN ('first_reply', 'resolution') THEN ARRAY[random() * 60, random() * 240, random() * 900] END
         FROM generate_series($2::date, $3::date, interval '1 day') d, generate_series(1, $5::int) a, unnest(ARRAY['email', 'chat']) c,
              unnest(ARRAY['created', 'solved', 'reopened', 'backlog', 'first_reply', 'resolution']) m`,
      [tenantId, from, to, GROUPS, AGENTS],
    );
    // The sums per dimension and for the tenant, as the roll-up writes them beside the grain.
    await client.query(
      `INSERT INTO reporting_daily_rollups (tenant_id, day, level, group_id, agent_id, channel, priority, tag, metric, key, n, amount, vals)
       SELECT $1, day, CASE GROUPING(group_id, agent_id, channel, priority) WHEN 15 THEN 'total' WHEN 7 THEN 'group' WHEN 11 THEN 'agent' WHEN 13 THEN 'channel' ELSE 'priority' END,
              COALESCE(group_id, ''), COALESCE(agent_id, ''), COALESCE(channel, ''), COALESCE(priority, ''), tag, metric, key, sum(n), sum(amount),
              CASE WHEN bool_or(vals IS NOT NULL) THEN array_agg(v ORDER BY v) FILTER (WHERE v IS NOT NULL) END
         FROM reporting_daily_rollups LEFT JOIN LATERAL unnest(vals) AS v ON true
        WHERE tenant_id = $1 AND level = 'grain'
        GROUP BY day, tag, metric, key, GROUPING SETS ((), (group_id), (agent_id), (channel), (priority))`,
      [tenantId],
    );
    await client.query(
      `INSERT INTO reporting_daily_rollups (tenant_id, day, level, metric, n) SELECT $1, d::date, 'total', 'computed', 0 FROM generate_series($2::date, $3::date, interval '1 day') d`,
      [tenantId, from, to],
    );
    await client.query('ANALYZE reporting_daily_rollups');
    const [{ n: rows }] = (await client.query(`SELECT count(*)::int AS n FROM reporting_daily_rollups WHERE tenant_id = $1`, [tenantId])).rows as { n: number }[];
    log(`seeded ${rows} rollup rows (grain and sums) in ${Math.round((performance.now() - t0) / 1000)} s (database: ${database.kind})`);

    const group = '00000003-0000-4000-8000-000000000000';
    const variants = [
      { label: 'volume, 2 years by week', report: 'volume' as const, interval: 'week' as const, groupBy: null, groupId: null },
      { label: 'response-times, 2 years by month (percentiles)', report: 'response-times' as const, interval: 'month' as const, groupBy: null, groupId: null },
      { label: 'volume, 2 years by month, by agent', report: 'volume' as const, interval: 'month' as const, groupBy: 'agent' as const, groupId: null },
      { label: 'backlog, 2 years by week, one group', report: 'backlog' as const, interval: 'week' as const, groupBy: null, groupId: group },
      { label: 'volume, 2 years by month, one group by channel (finest grain)', report: 'volume' as const, interval: 'month' as const, groupBy: 'channel' as const, groupId: group },
    ];
    const results: string[][] = [];
    for (const v of variants) {
      if (signal.aborted) throw signal.reason;
      const filter = { tenantId, from, to, interval: v.interval, groupBy: v.groupBy, groupId: v.groupId, agentId: null };
      const report = () =>
        inTenant(client, tenantId, async (tx) =>
          v.report === 'backlog' ? rollups.backlog(tx, filter, periodsOf(from, to, v.interval)) : rollups.aggregate(tx, filter, reportMetrics(v.report), v.report === 'response-times'),
        );
      const metrics = v.report === 'backlog' ? ['backlog'] : reportMetrics(v.report);
      const dim = v.groupBy === 'agent' ? 'agent_id' : v.groupBy === 'channel' ? 'channel' : `''`;
      const baseline = () =>
        inTenant(client, tenantId, (tx) =>
          tx.manager.query(
            `SELECT date_trunc($4, day::timestamp) AS period, ${dim} AS dim, metric, sum(n) FROM reporting_daily_rollups
              WHERE tenant_id = $1 AND level = $7 AND day BETWEEN $2::date AND $3::date AND metric = ANY($5::text[]) AND tag = '' AND ($6::text IS NULL OR group_id = $6)
              GROUP BY 1, 2, 3`,
            [tenantId, from, to, v.interval, metrics, v.groupId, levelFor(filter)],
          ),
        );
      const ours = await timed(QUERY_RUNS, report);
      const raw = await timed(QUERY_RUNS, baseline);
      results.push([v.label, fixed(ours.p50, 1), fixed(ours.p95, 1), fixed(raw.p50, 1), fixed(raw.p95, 1), fixed(ours.p95 / raw.p95, 2)]);
      log(`${v.label}: p95 ${fixed(ours.p95, 1)} ms vs raw ${fixed(raw.p95, 1)} ms`);
    }

    log(`recompute: seeding ${RECOMPUTE_TICKETS} tickets' metrics and intervals over 60 days…`);
    await client.query(
      `INSERT INTO reporting_ticket_metrics (tenant_id, ticket_id, created_at, status, group_id, assignee_id, channel, priority, first_reply_minutes, solved_at, full_resolution_minutes,
         public_replies, internal_notes, reopens, assignee_changes, group_changes, agent_touches, history_position, tags)
       SELECT $1, gen_random_uuid(), now() - make_interval(secs => (random() * 60 * 86400)::int), 'open', NULL, NULL, 'email', 'normal', random() * 120, NULL, NULL, 1, 0, 0, 0, 0, 1, 3,
              CASE WHEN g % 4 = 0 THEN ARRAY['vip'] ELSE '{}' END
         FROM generate_series(1, $2::int) g`,
      [tenantId, RECOMPUTE_TICKETS],
    );
    await client.query(`UPDATE reporting_ticket_metrics SET status = 'solved', solved_at = created_at + interval '3 hours', full_resolution_minutes = 180 WHERE tenant_id = $1 AND random() < 0.66`, [tenantId]);
    await client.query(
      `INSERT INTO reporting_status_intervals (tenant_id, ticket_id, seq, status, started_at, ended_at)
       SELECT tenant_id, ticket_id, 1, 'open', created_at, solved_at FROM reporting_ticket_metrics WHERE tenant_id = $1
       UNION ALL SELECT tenant_id, ticket_id, 2, 'solved', solved_at, NULL FROM reporting_ticket_metrics WHERE tenant_id = $1 AND solved_at IS NOT NULL`,
      [tenantId],
    );
    await client.query('ANALYZE');
    const days = periodsOf(new Date(Date.now() - 59 * 86_400_000).toISOString().slice(0, 10), to, 'day').map((p) => p.period);
    t0 = performance.now();
    await inTenant(client, tenantId, (tx) => rollups.recompute(tx, 'Europe/Berlin', days));
    const allDays = performance.now() - t0;
    t0 = performance.now();
    await inTenant(client, tenantId, (tx) => rollups.recompute(tx, 'Europe/Berlin', [to]));
    const oneDay = performance.now() - t0;

    log('');
    log(renderTable(['report query (pinned tenant transaction)', 'p50 ms', 'p95 ms', 'raw p50 ms', 'raw p95 ms', 'p95 ratio'], results));
    log('');
    log(`rollup rows: ${rows}; queries per variant: ${QUERY_RUNS}`);
    log(
      `recompute over ${RECOMPUTE_TICKETS} tickets: 60 days in ${fixed(allDays, 0)} ms (${fixed((60 / allDays) * 1000, 1)} days/s, ${fixed((RECOMPUTE_TICKETS / allDays) * 1000, 0)} tickets/s); one day (a live change) in ${fixed(oneDay, 0)} ms`,
    );
  },
};
