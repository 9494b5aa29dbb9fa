import { Pool, type PoolClient } from 'pg';
import { policiesSql } from '../libs/tickets/src/sla/repositories/policies.sql';
import { slaStateSql } from '../libs/tickets/src/sla/repositories/sla-state.sql';
import { recomputeSla, SlaRecomputeContext, type RunStatement } from '../libs/tickets/src/sla/engine/recompute-sla';
import { SLA_RECOMPUTE_BATCH } from '../libs/tickets/src/sla/sla.registration';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { fixed, renderTable } from './support/table';
import { runTriggerOverhead, TRIGGERS } from './triggers.bench';

const TICKETS = 100_000;
/** Solved and closed tickets beside the open ones: the recompute walks open tickets only. */
const CLOSED_TICKETS = 50_000;

export interface RecomputeFigures {
  tickets: number;
  batches: number;
  ms: number;
  /** Peak resident set and V8 heap of this process while it ran (MB), sampled every 10 ms and at each batch. */
  peakRssMb: number;
  peakHeapMb: number;
  recorded: number;
  timers: number;
  /** Tickets the recompute could not compute (the bench stops on any). */
  failed: number;
}

/** The pinned transaction the worker's TenantTransaction opens: tenant set, application role (row-level security applies). */
async function inTenant<T>(client: PoolClient, tenantId: string, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [tenantId]);
    const out = await work();
    await client.query('COMMIT');
    return out;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
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

/**
 * A tenant's SLA recompute after a calendar or policy change, as the worker runs it
 * (RecomputeTenantSlaJob): open tickets in batches of SLA_RECOMPUTE_BATCH by id, one pinned
 * transaction per batch, the tenant's policies and calendars loaded per batch, `recomputeSla`
 * writing targets, metric events and the tickets' deadlines. `mode: 'read'` only reads what the
 * recompute reads (the baseline: the rows, no clock and no writes).
 */
export async function recomputeOpenTickets(client: PoolClient, tenantId: string, mode: 'recompute' | 'read' = 'recompute', now = Date.now()): Promise<RecomputeFigures> {
  const run: RunStatement = async <R>(s: { sql: string; params?: unknown[] }) => (await client.query(s.sql, s.params)).rows as R[];
  const memory = memorySampler();
  const t0 = performance.now();
  let after: string | null = null;
  const figures = { tickets: 0, batches: 0, recorded: 0, timers: 0, failed: 0 };
  for (;;) {
    const ids = await inTenant(client, tenantId, async () => {
      const batch = (await run<{ id: string }>(slaStateSql.openTicketsAfter(tenantId, after, SLA_RECOMPUTE_BATCH))).map((r) => r.id);
      if (batch.length === 0) return batch;
      if (mode === 'read') {
        await Promise.all([SlaRecomputeContext.load(run, tenantId), run(slaStateSql.tickets(tenantId, batch)), run(policiesSql.timelines(tenantId, batch)), run(slaStateSql.targets(tenantId, batch))]);
        figures.tickets += batch.length;
      } else {
        const context = await SlaRecomputeContext.load(run, tenantId);
        const result = await recomputeSla(run, tenantId, batch, now, context);
        figures.tickets += result.tickets;
        figures.recorded += result.recorded.length;
        figures.timers += result.timers.length;
        figures.failed += result.failed.length;
        if (result.failed.length > 0) throw new Error(`SLA recompute failed for ${result.failed.length} tickets: ${result.failed[0]!.error}`);
      }
      return batch;
    });
    memory.sample();
    if (ids.length === 0) break;
    figures.batches++;
    after = ids[ids.length - 1]!;
    if (ids.length < SLA_RECOMPUTE_BATCH) break;
  }
  const ms = performance.now() - t0;
  return { ...figures, ms, ...memory.stop() };
}

/**
 * Recomputing 100,000 open tickets' SLA deadlines after a business calendar change (each ticket's
 * history replayed on a split-day calendar in Europe/Berlin with holidays, warnings in business
 * time), against two baselines in the same run: the same recompute under a calendar-time policy,
 * and the raw read of the rows the recompute reads.
 */
export const slaBenchmark: Benchmark = {
  name: 'sla',
  description: 'recompute SLA deadlines of 100k open tickets after a calendar change (time, peak memory) vs calendar-time policy and the raw read; trigger overhead per update with 50 triggers',
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const pool = new Pool({ connectionString: database.url, max: 1 });
    cleanup.add('close pool', () => pool.end());
    const client = await pool.connect();
    cleanup.add('release client', () => client.release());

    const started = Date.now();
    log(`seeding ${TICKETS} open tickets with their histories (and ${CLOSED_TICKETS} closed)…`);
    const [{ id: tenantId }] = (await client.query(`INSERT INTO tenants (slug, name) VALUES ('sla-bench', 'SLA bench') RETURNING id`)).rows as { id: string }[];
    const [{ id: contact }] = (await client.query(`INSERT INTO contacts (tenant_id, name) VALUES ($1, 'Requester') RETURNING id`, [tenantId])).rows as { id: string }[];
    const week = { mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:30' }], tue: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:30' }], wed: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:30' }], thu: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:30' }], fri: [{ start: '08:00', end: '16:00' }] };
    const holiday = (date: string, name: string, recurring = false) => ({ date, name, recurring });
    const holidays = [holiday('2026-12-24', 'Christmas Eve'), holiday('2026-12-31', 'New Year’s Eve'), holiday('2027-01-01', 'New Year', true), holiday('2026-12-25', 'Christmas', true), holiday('2026-12-26', 'Boxing Day', true)];
    const [{ id: calendarId }] = (
      await client.query(`INSERT INTO business_calendars (tenant_id, name, time_zone, week, holidays) VALUES ($1, 'Office', 'Europe/Berlin', $2::jsonb, $3::jsonb) RETURNING id`, [tenantId, JSON.stringify(week), JSON.stringify(holidays)])
    ).rows as { id: string }[];
    const targets = { urgent: { first_reply: 60, next_reply: 120, resolution: 480 }, high: { first_reply: 120, next_reply: 240, resolution: 960 }, normal: { first_reply: 480, next_reply: 480, resolution: 2400 }, low: { first_reply: 960, resolution: 4800 } };
    const [{ id: policyId }] = (
      await client.query(`INSERT INTO sla_policies (tenant_id, name, targets, business_hours, calendar_id, warning_minutes) VALUES ($1, 'Standard', $2::jsonb, true, $3, 30) RETURNING id`, [tenantId, JSON.stringify(targets), calendarId])
    ).rows as { id: string }[];
    // A help desk's open work: created over the last 30 days; new, open, pending or on hold; a third with an agent reply, half of those with a requester reply after it; one in ten paused once and resumed.
    await client.query(`SELECT setseed(0.17)`);
    await client.query(
      `INSERT INTO tickets (tenant_id, number, subject, status, priority, type, channel, requester_id, tags, created_at, updated_at)
       SELECT $1, g, 'Ticket ' || g,
              CASE WHEN g > $3 THEN (ARRAY['solved','closed'])[1 + g % 2] WHEN r.s < 0.3 THEN 'new' WHEN r.s < 0.75 THEN 'open' WHEN r.s < 0.92 THEN 'pending' ELSE 'on_hold' END,
              (ARRAY['low','normal','normal','normal','high','urgent'])[1 + floor(r.p * 6)::int], 'question', 'email', $2, '{}'::text[],
              now() - make_interval(secs => (r.a * 30 * 86400)::int), now()
         FROM generate_series(1, $4::int) g, LATERAL (SELECT random() + g * 0 AS s, random() AS p, random() AS a) r`,
      [tenantId, contact, TICKETS, TICKETS + CLOSED_TICKETS],
    );
    await client.query(
      `INSERT INTO ticket_events (tenant_id, ticket_id, action, changes, actor_type, created_at)
       SELECT t.tenant_id, t.id, e.action, e.changes, 'user', t.created_at + e.offset_s * interval '1 second'
         FROM tickets t, LATERAL (SELECT abs(hashtext(t.id::text)) % 100 AS h) k,
         LATERAL (VALUES
           (0, 'ticket.created', jsonb_build_object('status', jsonb_build_object('to', 'new'))),
           (1800, CASE WHEN k.h < 33 THEN 'message.added' END, '{"message": {"to": {"visibility": "public", "authorType": "user"}}, "status": {"from": "new", "to": "open"}}'::jsonb),
           (7200, CASE WHEN k.h < 16 THEN 'message.added' END, '{"message": {"to": {"visibility": "public", "authorType": "contact"}}}'::jsonb),
           (3600, CASE WHEN k.h BETWEEN 40 AND 49 THEN 'ticket.updated' END, '{"status": {"from": "open", "to": "pending"}}'::jsonb),
           (5400, CASE WHEN k.h BETWEEN 40 AND 49 THEN 'ticket.updated' END, '{"status": {"from": "pending", "to": "open"}}'::jsonb),
           (9000, CASE WHEN t.status <> 'new' AND t.status <> 'open' THEN 'ticket.updated' END, jsonb_build_object('status', jsonb_build_object('to', t.status)))
         ) AS e(offset_s, action, changes)
        WHERE t.tenant_id = $1 AND e.action IS NOT NULL`,
      [tenantId],
    );
    await client.query('ANALYZE');
    const [{ n: events }] = (await client.query(`SELECT count(*)::int AS n FROM ticket_events WHERE tenant_id = $1`, [tenantId])).rows as { n: number }[];
    log(`seeded ${TICKETS + CLOSED_TICKETS} tickets, ${events} history entries in ${Math.round((Date.now() - started) / 1000)} s (database: ${database.kind})`);

    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    const m0 = process.memoryUsage();
    log(`memory before the passes: RSS ${mb(m0.rss)}, heap ${mb(m0.heapUsed)}, external ${mb(m0.external)}`);
    log('first computation (before the change)…');
    const first = await recomputeOpenTickets(client, tenantId);
    if (signal.aborted) throw signal.reason;
    // The calendar changes: Friday afternoons open, a new holiday.
    await client.query(`UPDATE business_calendars SET week = jsonb_set(week, '{fri}', '[{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:30"}]'), holidays = holidays || '[{"date": "2027-01-06", "name": "Epiphany", "recurring": false}]'::jsonb, version = version + 1 WHERE id = $1`, [calendarId]);
    log('recompute after the calendar change…');
    const business = await recomputeOpenTickets(client, tenantId);
    log('baseline: the raw read of the same rows…');
    const read = await recomputeOpenTickets(client, tenantId, 'read');
    await client.query(`UPDATE sla_policies SET business_hours = false, calendar_id = NULL, version = version + 1 WHERE id = $1`, [policyId]);
    log('baseline: the recompute under a calendar-time policy…');
    const calendarTime = await recomputeOpenTickets(client, tenantId);
    const [{ n: stored }] = (await client.query(`SELECT count(*)::int AS n FROM sla_metric_events WHERE tenant_id = $1`, [tenantId])).rows as { n: number }[];

    const row = (label: string, f: RecomputeFigures) => [label, String(f.tickets), fixed(f.ms / 1000, 1), fixed((f.tickets / f.ms) * 1000, 0), fixed(f.peakRssMb, 0), fixed(f.peakHeapMb, 0), String(f.recorded), String(f.timers)];
    log('');
    log(
      renderTable(
        ['pass', 'tickets', 's', 'tickets/s', 'peak RSS MB', 'peak heap MB', 'events recorded', 'timers'],
        [
          row('first computation (business time)', first),
          row('after the calendar change (business time)', business),
          row('baseline: raw read of the same rows', read),
          row('baseline: calendar-time policy (after its edit)', calendarTime),
        ],
      ),
    );
    log('');
    log(`after the calendar change / raw read: ${fixed(business.ms / read.ms, 2)}×; / calendar-time recompute: ${fixed(business.ms / calendarTime.ms, 2)}×`);
    log(`metric events stored: ${stored}; batches of ${SLA_RECOMPUTE_BATCH}: ${business.batches}`);
    if (signal.aborted) throw signal.reason;
    log('');
    log(`trigger evaluation overhead per ticket update, ${TRIGGERS} active triggers vs none, through an api on the same database…`);
    await runTriggerOverhead({ cleanup, signal, log, databaseUrl: database.url });
  },
};
