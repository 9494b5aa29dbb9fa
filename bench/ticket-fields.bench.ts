import { Pool } from 'pg';
import { resolveFieldConditions, resolveFieldSort } from '../libs/tickets/src/domain/field-filters';
import type { FieldRule } from '../libs/tickets/src/domain/custom-fields';
import { ticketSql, type TicketListCriteria } from '../libs/tickets/src/repositories/tickets.sql';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { percentileOf, statementTimer } from './support/statement-timing';
import { fixed, renderTable } from './support/table';

const TICKETS = 200_000;
/** Another tenant's tickets in the same tables, with the same fields and values. */
const OTHER_TICKETS = 50_000;
const RUNS = 30;
const PAGE = 25;
const PLANS = ['gold', 'silver', 'bronze', 'trial', 'free'];

/**
 * `GET /v1/tickets` filtered by a custom field and sorted by another over a tenant with 200,000
 * tickets, each with three custom field values (a dropdown, an integer, a date): the api's
 * statement (ticketSql.list with the field conditions and the field sort, under row-level
 * security as the api runs it) against the same SQL as a superuser with no policy in the way, and
 * against the join a person would write by hand; first pages and a later page (the cursor). The
 * plans show no sequential scan on tickets, and the statement `ticket_field_matches` runs inside
 * with the typed comparison as an index condition.
 */
export const ticketFieldsBenchmark: Benchmark = {
  name: 'fields',
  description: 'ticket list filtered by a custom field and sorted by another, 200k tickets: api statement vs raw SQL; plans',
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const pool = new Pool({ connectionString: database.url, max: 1 });
    cleanup.add('close pool', () => pool.end());

    const started = Date.now();
    const seed = async (slug: string, count: number) => {
      const [{ id }] = (await pool.query(`INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id`, [slug])).rows as { id: string }[];
      const [{ id: contact }] = (await pool.query(`INSERT INTO contacts (tenant_id, name) VALUES ($1, 'Requester') RETURNING id`, [id])).rows as { id: string }[];
      await pool.query(
        `INSERT INTO tickets (tenant_id, number, subject, status, priority, requester_id, created_at, updated_at)
         SELECT $1, 1000 + g, 'Ticket ' || g, (ARRAY['new','open','pending','solved'])[1 + g % 4], 'normal', $2, now() - make_interval(secs => g), now() - make_interval(secs => g)
           FROM generate_series(1, $3) g`,
        [id, contact, count],
      );
      const field = async (key: string, type: string, options: string[] = []) =>
        (
          (
            await pool.query(`INSERT INTO ticket_fields (tenant_id, key, label, type, options) VALUES ($1, $2, $2, $3, $4::jsonb) RETURNING id`, [
              id,
              key,
              type,
              JSON.stringify(options.map((value) => ({ value, label: value, active: true }))),
            ])
          ).rows as { id: string }[]
        )[0]!.id;
      const plan = await field('plan', 'dropdown', PLANS);
      const seats = await field('seats', 'integer');
      const renewal = await field('renewal', 'date');
      // plan: gold on 2 % of tickets, the rest spread; seats 1–1000; renewal on 90 % of tickets, spread over three years.
      await pool.query(
        `INSERT INTO ticket_field_values (tenant_id, ticket_id, field_id, value_text)
         SELECT $1, id, $2, CASE WHEN number % 50 = 0 THEN 'gold' ELSE (ARRAY['silver','bronze','trial','free'])[1 + (number / 7) % 4] END FROM tickets WHERE tenant_id = $1`,
        [id, plan],
      );
      await pool.query(`INSERT INTO ticket_field_values (tenant_id, ticket_id, field_id, value_number) SELECT $1, id, $2, 1 + (number::bigint * 7919) % 1000 FROM tickets WHERE tenant_id = $1`, [id, seats]);
      await pool.query(
        `INSERT INTO ticket_field_values (tenant_id, ticket_id, field_id, value_date) SELECT $1, id, $2, date '2026-01-01' + ((number::bigint * 104729) % 1095)::int FROM tickets WHERE tenant_id = $1 AND number % 10 <> 3`,
        [id, renewal],
      );
      return { id, fields: { plan, seats, renewal } };
    };
    log(`seeding one tenant with ${TICKETS} tickets and another with ${OTHER_TICKETS}, three custom field values each…`);
    const tenant = await seed('fields-bench', TICKETS);
    await seed('fields-bench-other', OTHER_TICKETS);
    await pool.query('ANALYZE');
    log(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);

    const rules: FieldRule[] = [
      { id: tenant.fields.plan, key: 'plan', type: 'dropdown', options: PLANS.map((value) => ({ value, label: value, active: true })), pattern: null, requiredAtCreate: false, requiredAtSolve: false, deletedAt: null },
      { id: tenant.fields.seats, key: 'seats', type: 'integer', options: [], pattern: null, requiredAtCreate: false, requiredAtSolve: false, deletedAt: null },
      { id: tenant.fields.renewal, key: 'renewal', type: 'date', options: [], pattern: null, requiredAtCreate: false, requiredAtSolve: false, deletedAt: null },
    ];
    // Exactly what the list handler builds from `?field=…&sort=field:renewal&order=…`.
    const criteria = (filters: string[], sortKey: string, order: 'asc' | 'desc', afterField?: readonly [string | null, string]): TicketListCriteria => ({
      limit: PAGE,
      sort: 'createdAt',
      order,
      fields: resolveFieldConditions(rules, filters),
      sortField: resolveFieldSort(rules, sortKey),
      afterField,
    });
    const api = (c: TicketListCriteria) => ticketSql.list(tenant.id, c);
    // The join a person would write for the first page: one row per ticket of the filter, its sort value beside it.
    const handJoin = (filterField: string, test: string, value: unknown, order: 'asc' | 'desc') => ({
      sql: `SELECT t.*, s.value_date FROM tickets t
              JOIN ticket_field_values f ON f.tenant_id = t.tenant_id AND f.ticket_id = t.id AND f.field_id = $2 AND ${test}
              LEFT JOIN ticket_field_values s ON s.tenant_id = t.tenant_id AND s.ticket_id = t.id AND s.field_id = $3
            WHERE t.tenant_id = $1 AND t.deleted_at IS NULL
            ORDER BY s.value_date ${order} NULLS LAST, t.id ${order} LIMIT ${PAGE + 1}`,
      params: [tenant.id, filterField, tenant.fields.renewal, value],
    });

    const client = await pool.connect();
    cleanup.add('release client', () => client.release());
    const timer = statementTimer(client, tenant.id);
    const { explain } = timer;
    // The raw baseline runs as the superuser (no policy), but the tenant stays pinned: the field
    // lookup function reads it, as it reads the policy's tenant.
    const timed = async (statement: { sql: string; params?: unknown[] }, underPolicy: boolean) => {
      if (underPolicy) return timer.timed(statement, true);
      const t0 = performance.now();
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
      const { rowCount } = await client.query(statement.sql, statement.params);
      await client.query('COMMIT');
      return { ms: performance.now() - t0, rows: rowCount ?? 0 };
    };

    // A later page: the position after the first page's last row, as the cursor carries it.
    await client.query('BEGIN');
    await timer.pin(client);
    const firstPage = await client.query(api(criteria(['plan:eq:gold'], 'renewal', 'asc')).sql, api(criteria(['plan:eq:gold'], 'renewal', 'asc')).params);
    await client.query('COMMIT');
    const last = firstPage.rows[PAGE - 1] as { id: string; sort_value: Date | null };
    const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const cursor = [last.sort_value ? day(last.sort_value) : null, last.id] as const;

    const cases = [
      ['plan = gold (2 %), by renewal ↑', api(criteria(['plan:eq:gold'], 'renewal', 'asc')), handJoin(tenant.fields.plan, 'f.value_text = $4', 'gold', 'asc')],
      ['plan = gold, by renewal ↑, page 2', api(criteria(['plan:eq:gold'], 'renewal', 'asc', cursor)), null],
      ['seats ≥ 990 (1 %), by renewal ↓', api(criteria(['seats:gte:990'], 'renewal', 'desc')), handJoin(tenant.fields.seats, 'f.value_number >= $4', 990, 'desc')],
      ['plan in gold|trial (27 %), by renewal ↓', api(criteria(['plan:in:gold|trial'], 'renewal', 'desc')), handJoin(tenant.fields.plan, 'f.value_text = ANY($4::text[])', ['gold', 'trial'], 'desc')],
    ] as const;

    const rows: string[][] = [];
    const ratios: string[] = [];
    for (const [label, statement, hand] of cases) {
      const variants = [['api (RLS, app role)', statement, true], ['same SQL, raw (superuser, no RLS)', statement, false], ...(hand ? [['hand-written join, raw', hand, false] as const] : [])] as const;
      const times: number[][] = variants.map(() => []);
      const counts = variants.map(() => 0);
      for (const [, s, policy] of variants) await timed(s, policy);
      for (let run = 0; run < RUNS; run++) {
        for (let i = 0; i < variants.length; i++) {
          const [, s, policy] = variants[i]!;
          const { ms, rows: n } = await timed(s, policy);
          times[i]!.push(ms);
          counts[i] = n;
        }
        if (signal.aborted) throw signal.reason;
      }
      if (counts.some((n) => n !== counts[0])) throw new Error(`${label}: row counts differ: ${counts.join(', ')}`);
      variants.forEach(([name], i) => rows.push([label, name, String(counts[i]), fixed(percentileOf(times[i]!, 50), 2), fixed(percentileOf(times[i]!, 95), 2)]));
      ratios.push(`${label}: ${fixed(percentileOf(times[0]!, 95) / percentileOf(times[1]!, 95), 2)}${hand ? ` (vs hand join ${fixed(percentileOf(times[0]!, 95) / percentileOf(times[2]!, 95), 2)})` : ''}`);
    }
    log('');
    log(renderTable(['list', 'statement', 'rows', 'p50 ms', 'p95 ms'], rows));
    log('');
    log('api p95 / raw p95:');
    for (const r of ratios) log(`  ${r}`);

    for (const [label, statement] of [
      ['api, plan = gold by renewal', cases[0][1]],
      ['api, seats ≥ 990 by renewal', cases[2][1]],
      ['api, plan in gold|trial by renewal', cases[3][1]],
    ] as const) {
      const plan = await explain(statement, true);
      const seq = plan.some((l) => /Seq Scan on (tickets|ticket_field_values)\b/.test(l));
      log('');
      log(`EXPLAIN ANALYZE ${label}: ${seq ? 'SEQUENTIAL SCAN' : 'no sequential scan on tickets or values'}`);
      for (const line of plan) log(`  ${line}`);
    }
    // Inside ticket_field_matches (SECURITY DEFINER, so as its owner with the tenant predicate written
    // out): the statement it runs for each condition above, with the comparison as an index condition.
    for (const [label, column, test, value] of [
      ['plan = gold', tenant.fields.plan, `left(value_text, 200) = left($3, 200) AND value_text = $3`, 'gold'],
      ['seats ≥ 990', tenant.fields.seats, 'value_number >= $3::numeric', '990'],
    ] as const) {
      const plan = await explain({ sql: `SELECT ticket_id FROM ticket_field_values WHERE tenant_id = $1 AND field_id = $2 AND ${test}`, params: [tenant.id, column, value] }, false);
      log('');
      log(`EXPLAIN ANALYZE inside ticket_field_matches, ${label}: ${plan.some((l) => /Index Cond: .*(value_number|left)/.test(l)) ? 'the comparison is an index condition' : 'COMPARISON NOT IN THE INDEX CONDITION'}`);
      for (const line of plan) log(`  ${line}`);
    }
  },
};
