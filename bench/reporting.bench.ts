import { Pool, type PoolClient } from 'pg';
import type { TenantTx } from '../libs/platform/src/database/tenant-transaction';
import { computeTicketMetrics } from '../libs/reporting/src/domain/ticket-metrics';
import { MetricsRepository } from '../libs/reporting/src/repositories/metrics.repository';
import { TimelinesRepository } from '../libs/tickets/src/repositories/timelines.repository';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { fixed, renderTable } from './support/table';

/** Tickets seeded (each with 3 to 9 history entries); REPORTING_BENCH_TICKETS=1000000 for the full size. */
const TICKETS = Number(process.env.REPORTING_BENCH_TICKETS ?? 1_000);
const BATCH = 200;

interface Figures {
  events: number;
  tickets: number;
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
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

/** The worker's pinned tenant transaction over one client: tenant set, application role (row-level security applies). */
async function inTenant<T>(client: PoolClient, tenantId: string, work: (tx: TenantTx) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [tenantId]);
    const tx = { tenantId, manager: { query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows } } as unknown as TenantTx;
    const out = await work(tx);
    await client.query('COMMIT');
    return out;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/**
 * The metrics worker's path for every event of every ticket (TrackTicketMetricsJob without its
 * receipt): one transaction per event that reads the ticket's timeline, computes its metrics and
 * writes them with its status intervals. `per-ticket`: one recompute per ticket in batches, as the
 * operator's rebuild runs.
 */
async function replay(client: PoolClient, tenantId: string, mode: 'per-event' | 'per-ticket', signal: AbortSignal): Promise<Figures> {
  const timelines = new TimelinesRepository();
  const metrics = new MetricsRepository();
  const memory = memorySampler();
  const t0 = performance.now();
  const figures = { events: 0, tickets: 0 };
  let after: string | null = null;
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const batch =
      mode === 'per-ticket'
        ? await inTenant(client, tenantId, async (tx) => {
            const read = await timelines.read(tx, { after, limit: BATCH });
            for (const t of read) {
              const { metrics: m, intervals } = computeTicketMetrics(t);
              await metrics.save(tx, m, intervals);
            }
            return read;
          })
        : await inTenant(client, tenantId, (tx) => timelines.read(tx, { after, limit: BATCH }));
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
 * Ticket metrics throughput: every history event of N tickets replayed through the metrics
 * worker's path (events/s per worker connection, peak memory), the rebuild's per-ticket path, and
 * a raw SQL aggregation of the same events as the baseline, in one run on one database.
 */
export const reportingBenchmark: Benchmark = {
  name: 'reporting',
  description: `ticket metrics: events of ${TICKETS} tickets (REPORTING_BENCH_TICKETS) replayed through the worker path (events/s, peak memory) and the rebuild path vs a raw SQL aggregation`,
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const pool = new Pool({ connectionString: database.url, max: 1 });
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

    log('replaying every event through the worker path (one transaction per event)…');
    const perEvent = await replay(client, tenantId, 'per-event', signal);
    log('the rebuild path (one recompute per ticket, batches of 200)…');
    const perTicket = await replay(client, tenantId, 'per-ticket', signal);
    log('baseline: one raw SQL aggregation of the same events…');
    const raw = await rawAggregation(client, tenantId, events, TICKETS);
    const [{ n: stored }] = (await client.query(`SELECT count(*)::int AS n FROM reporting_ticket_metrics WHERE tenant_id = $1`, [tenantId])).rows as { n: number }[];
    if (stored !== TICKETS) throw new Error(`expected metrics for ${TICKETS} tickets, found ${stored}`);

    const row = (label: string, f: Figures) => [label, String(f.events), String(f.tickets), fixed(f.ms / 1000, 2), fixed((f.events / f.ms) * 1000, 0), fixed(f.peakRssMb, 0), fixed(f.peakHeapMb, 0)];
    log('');
    log(
      renderTable(
        ['pass', 'events', 'tickets', 's', 'events/s', 'peak RSS MB', 'peak heap MB'],
        [row('worker path: every event recomputes its ticket', perEvent), row('rebuild path: one recompute per ticket', perTicket), row('baseline: raw SQL aggregation', raw)],
      ),
    );
    log('');
    log(`worker path / raw SQL aggregation: ${fixed(perEvent.ms / raw.ms, 1)}× the time; rebuild path / raw: ${fixed(perTicket.ms / raw.ms, 1)}×`);
  },
};
