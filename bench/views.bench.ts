import { Pool } from 'pg';
import { COUNT_CAP, resolveViewFilter, type ViewFilter } from '../libs/tickets/src/domain/views';
import { ticketConditions } from '../libs/tickets/src/repositories/tickets.sql';
import { viewsSql } from '../libs/tickets/src/repositories/views.sql';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { percentileOf, statementTimer } from './support/statement-timing';
import { fixed, renderTable } from './support/table';

const TICKETS = 200_000;
/** Another tenant's tickets in the same tables, so the tenant predicate and row-level security do real work. */
const NOISE_TICKETS = 50_000;
const AGENTS = 20;
const GROUPS = 6;
const RUNS = 60;

/**
 * Sidebar counts (`GET /v1/views/counts`): 20 typical views of a tenant with 200,000 tickets, the
 * api's one statement (viewsSql.counts, each count bounded at COUNT_CAP, run as the api runs it:
 * tenant pinned, application role, row-level security) against the same 20 counts as plain SQL a
 * superuser would write (20 exact `count(*)` statements, no policy), in the same run; then the
 * plans, checked for sequential scans on tickets.
 */
export const viewsBenchmark: Benchmark = {
  name: 'views',
  description: 'counts of 20 views over 200k tickets in one call vs the same counts as raw SQL; plans',
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const pool = new Pool({ connectionString: database.url, max: 1 });
    cleanup.add('close pool', () => pool.end());

    const started = Date.now();
    const seed = async (slug: string, count: number) => {
      const [{ id }] = (await pool.query(`INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id`, [slug])).rows as { id: string }[];
      const [{ id: contact }] = (await pool.query(`INSERT INTO contacts (tenant_id, name) VALUES ($1, 'Requester') RETURNING id`, [id])).rows as { id: string }[];
      const agents = Array.from({ length: AGENTS }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
      const groups = Array.from({ length: GROUPS }, (_, i) => `00000000-0000-4000-9000-${String(i + 1).padStart(12, '0')}`);
      // A help desk's mix: nine tickets in ten solved or closed, a tail of open work; a third
      // unassigned; every ticket in a group but a tenth; one in fifty tagged vip; created over the
      // last year. Attributes are drawn independently (seeded random), as real tickets are.
      await pool.query(`SELECT setseed(0.42)`);
      await pool.query(
        `INSERT INTO tickets (tenant_id, number, subject, status, priority, type, channel, requester_id, assignee_id, group_id, tags, created_at, updated_at)
         SELECT $1, g, 'Ticket ' || g,
                CASE WHEN r.s < 0.55 THEN 'closed' WHEN r.s < 0.90 THEN 'solved' WHEN r.s < 0.93 THEN 'new' WHEN r.s < 0.97 THEN 'open' WHEN r.s < 0.99 THEN 'pending' ELSE 'on_hold' END,
                (ARRAY['low','normal','normal','normal','high','urgent'])[1 + floor(r.p * 6)::int],
                (ARRAY['question','incident','problem','task'])[1 + floor(r.k * 4)::int],
                (ARRAY['email','api','web','phone'])[1 + floor(r.c * 4)::int],
                $2,
                CASE WHEN r.a < 0.33 THEN NULL ELSE ($4::uuid[])[1 + floor(r.a2 * ${AGENTS})::int] END,
                CASE WHEN r.gr < 0.1 THEN NULL ELSE ($5::uuid[])[1 + floor(r.gr2 * ${GROUPS})::int] END,
                CASE WHEN r.v < 0.02 THEN ARRAY['vip'] ELSE '{}'::text[] END,
                now() - make_interval(secs => g * 150), now() - make_interval(secs => g * 100)
           FROM generate_series(1, $3) g,
                LATERAL (SELECT random() + g * 0 AS s, random() AS p, random() AS k, random() AS c, random() AS a, random() AS a2, random() AS gr, random() AS gr2, random() AS v) r`,
        [id, contact, count, agents, groups],
      );
      return { id, agents, groups };
    };
    log(`seeding ${TICKETS} tickets (and ${NOISE_TICKETS} of another tenant)…`);
    const tenant = await seed('views-bench', TICKETS);
    await seed('views-bench-noise', NOISE_TICKETS);
    await pool.query('ANALYZE');
    log(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);

    const me = tenant.agents[0]!;
    const [g1, g2, g3, g4, g5, g6] = tenant.groups;
    const OPEN = ['new', 'open', 'pending', 'on_hold'];
    const views: [string, ViewFilter][] = [
      ['unassigned open', { assigneeId: 'none', status: ['new', 'open'] }],
      ['mine', { assigneeId: 'me', status: OPEN }],
      ['my pending', { assigneeId: 'me', status: ['pending'] }],
      ['group 1 open', { groupId: g1, status: ['new', 'open'] }],
      ['group 2 open', { groupId: g2, status: ['new', 'open'] }],
      ['group 3 open', { groupId: g3, status: ['new', 'open'] }],
      ['group 4 open', { groupId: g4, status: ['new', 'open'] }],
      ['group 5 open', { groupId: g5, status: ['new', 'open'] }],
      ['group 6 all work', { groupId: g6, status: OPEN }],
      ['no group', { groupId: 'none', status: OPEN }],
      ['urgent open', { priority: 'urgent', status: ['new', 'open'] }],
      ['high open', { priority: 'high', status: ['new', 'open'] }],
      ['pending', { status: ['pending'] }],
      ['on hold', { status: ['on_hold'] }],
      ['solved this week', { status: ['solved'], updatedWithinHours: 24 * 7 }],
      ['created today', { createdWithinHours: 24 }],
      ['open incidents', { type: 'incident', status: ['new', 'open'] }],
      ['vip open', { tag: 'vip', status: OPEN }],
      ['new by email', { channel: 'email', status: ['new'] }],
      ['stale open (no change in 3 days)', { status: ['open'], updatedOlderThanHours: 72 }],
    ];
    const now = new Date();
    const resolved = views.map(([, filter]) => resolveViewFilter(filter, me, now));
    const api = viewsSql.counts(tenant.id, resolved, COUNT_CAP);
    // What a superuser would write: each count on its own, exact, no policy.
    const raw = resolved.map((filter) => {
      const params: unknown[] = [tenant.id];
      const where = ['t.tenant_id = $1', 't.deleted_at IS NULL', ...ticketConditions(filter, (v) => `$${params.push(v)}`)].join(' AND ');
      return { sql: `SELECT count(*)::int AS n FROM tickets t WHERE ${where}`, params };
    });

    const client = await pool.connect();
    cleanup.add('release client', () => client.release());
    const { timed, explain, pin } = statementTimer(client, tenant.id);

    // The answers agree (below the cap).
    await client.query('BEGIN');
    await pin(client);
    const [apiRow] = (await client.query(api.sql, api.params)).rows as Record<string, number>[];
    await client.query('ROLLBACK');
    const exact: number[] = [];
    for (const statement of raw) exact.push(((await client.query(statement.sql, statement.params)).rows[0] as { n: number }).n);
    views.forEach(([label], i) => {
      const got = apiRow![`c${i}`]!;
      if (Math.min(exact[i]!, COUNT_CAP + 1) !== got) throw new Error(`${label}: api counted ${got}, raw SQL ${exact[i]}`);
    });

    const apiTimes: number[] = [];
    const rawTimes: number[] = [];
    const rawOne = async () => {
      const t0 = performance.now();
      for (const statement of raw) await client.query(statement.sql, statement.params);
      return performance.now() - t0;
    };
    await timed(api, true);
    await rawOne();
    for (let run = 0; run < RUNS; run++) {
      apiTimes.push((await timed(api, true)).ms);
      rawTimes.push(await rawOne());
      if (signal.aborted) throw signal.reason;
    }
    const pct = percentileOf;
    log('');
    log(renderTable(['view', 'tickets (exact)', 'api count'], views.map(([label], i) => [label, String(exact[i]), `${Math.min(apiRow![`c${i}`]!, COUNT_CAP)}${apiRow![`c${i}`]! > COUNT_CAP ? '+' : ''}`])));
    log('');
    log(
      renderTable(
        ['20 counts', 'p50 ms', 'p95 ms', 'runs'],
        [
          ['api: one statement, bounded, under RLS', fixed(pct(apiTimes, 50), 2), fixed(pct(apiTimes, 95), 2), String(RUNS)],
          ['raw SQL: 20 exact count(*), no policy', fixed(pct(rawTimes, 50), 2), fixed(pct(rawTimes, 95), 2), String(RUNS)],
        ],
      ),
    );
    log('');
    log(`api p95 / raw SQL p95: ${fixed(pct(apiTimes, 95) / pct(rawTimes, 95), 2)} (database: ${database.kind})`);

    const plan = await explain(api, true);
    const seq = plan.filter((l) => /Seq Scan on tickets\b/.test(l));
    log('');
    log(`EXPLAIN ANALYZE of the counts statement: ${seq.length === 0 ? 'no sequential scan on tickets' : `${seq.length} SEQUENTIAL SCAN(S) on tickets`}`);
    for (const line of plan) log(`  ${line}`);
  },
};
