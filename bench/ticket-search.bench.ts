import { Pool } from 'pg';
import { ticketSql } from '../libs/tickets/src/repositories/tickets.sql';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { percentileOf, statementTimer } from './support/statement-timing';
import { fixed, renderTable } from './support/table';

const TENANTS = 5;
const TICKETS_PER_TENANT = 200_000;
/** One ticket in this many has a message (its text searched as well). */
const MESSAGE_EVERY = 10;
const RARE_WORDS = 4_000;
const RUNS = 40;
const PAGE = 25;

/**
 * Ticket full-text search (`GET /v1/tickets?q=`) on a tenant with 200,000 tickets among 1,000,000:
 * the api's statement (ticketSql.list: candidates from the GIN indexes through the SECURITY
 * DEFINER function joined back under row-level security, or the list walk for a frequent term)
 * against the raw SQL a superuser would write with no row-level security in the way (`@@` inline,
 * the planner free to use the GIN indexes), and against the statement the api used before (the
 * same SQL under the policy, where `@@` cannot use them), in the same run. Each case is timed as
 * the api runs it: one transaction, tenant pinned, application role (raw: no role, no policy).
 */
export const ticketSearchBenchmark: Benchmark = {
  name: 'ticket-search',
  description: 'ticket q= search on 200k tickets of one tenant among 1M: api statement vs raw SQL vs the former inline @@; plans',
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const pool = new Pool({ connectionString: database.url, max: 1 });
    cleanup.add('close pool', () => pool.end());

    const started = Date.now();
    log(`seeding ${TENANTS} tenants × ${TICKETS_PER_TENANT} tickets, a message on every ${MESSAGE_EVERY}th…`);
    const tenants: string[] = [];
    for (let i = 0; i < TENANTS; i++) {
      const [{ id }] = (await pool.query(`INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id`, [`search-bench-${i}`])).rows as { id: string }[];
      const [{ id: contact }] = (await pool.query(`INSERT INTO contacts (tenant_id, name) VALUES ($1, 'Requester') RETURNING id`, [id])).rows as { id: string }[];
      // Subjects mix 5 common words (each in a fifth of the tickets) with rare ones (w0…w3999,
      // about 50 tickets each); messages add a word of their own.
      await pool.query(
        `INSERT INTO tickets (tenant_id, number, subject, status, priority, requester_id, created_at, updated_at)
         SELECT $1, 1000 + g, 'Ticket ' || g || ' about ' || (ARRAY['boiler','invoice','login','delivery','refund'])[1 + g % 5] || ' w' || (g % $4),
                (ARRAY['new','open','pending','solved'])[1 + g % 4], 'normal', $2, now() - make_interval(secs => g), now() - make_interval(secs => g)
           FROM generate_series(1, $3) g`,
        [id, contact, TICKETS_PER_TENANT, RARE_WORDS],
      );
      await pool.query(
        `INSERT INTO ticket_messages (tenant_id, ticket_id, visibility, author_type, body)
         SELECT tenant_id, id, 'public', 'contact', 'The customer mentions a ' || (ARRAY['radiator','thermostat','password','parcel'])[1 + number % 4] || ' m' || ((number / $2) % $3)
           FROM tickets WHERE tenant_id = $1 AND number % $2 = 0`,
        [id, MESSAGE_EVERY, RARE_WORDS],
      );
      tenants.push(id);
      log(`  tenant ${i + 1}/${TENANTS} seeded (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    await pool.query('ANALYZE');
    log(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);

    const tenantId = tenants[2]!;
    const queries = [
      ['rare subject word', 'w1234'],
      ['rare message word', 'm777'],
      ['common word', 'refund'],
      ['no match', 'zeppelin'],
    ] as const;
    const former = (q: string) => ({
      sql: `SELECT t.* FROM tickets t WHERE t.tenant_id = $1 AND (t.search @@ websearch_to_tsquery('simple', $2) OR EXISTS (
              SELECT 1 FROM ticket_messages m WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id AND m.search @@ websearch_to_tsquery('simple', $2)))
            ORDER BY t.created_at DESC, t.id DESC LIMIT ${PAGE + 1}`,
      params: [tenantId, q],
    });
    // What a superuser would write with no row-level security in the way: the planner is free to
    // pick the GIN indexes or the list walk by its estimates.
    const raw = (q: string) => ({ ...former(q), params: [tenantId, q] });
    const api = (q: string) => ticketSql.list(tenantId, { q, limit: PAGE, sort: 'createdAt', order: 'desc' });

    const client = await pool.connect();
    cleanup.add('release client', () => client.release());
    const { timed, explain } = statementTimer(client, tenantId);
    const pct = percentileOf;

    const rows: string[][] = [];
    const ratios: number[] = [];
    for (const [label, q] of queries) {
      const cases = [
        ['api', api(q), true],
        ['raw SQL', raw(q), false],
        ['former api', former(q), true],
      ] as const;
      const times: number[][] = cases.map(() => []);
      const counts = cases.map(() => 0);
      // Warm-up, then the cases interleaved run by run, so a burst of other work hits all of them.
      for (const [, statement, underPolicy] of cases) await timed(statement, underPolicy);
      for (let run = 0; run < RUNS; run++) {
        for (let i = 0; i < cases.length; i++) {
          const [, statement, underPolicy] = cases[i]!;
          // The former statement walks the tenant's tickets: a few runs show it.
          if (i === 2 && run >= 5) continue;
          const { ms, rows: n } = await timed(statement, underPolicy);
          times[i]!.push(ms);
          counts[i] = n;
        }
        if (signal.aborted) throw signal.reason;
      }
      if (counts[0] !== counts[1]) throw new Error(`q=${q}: the api found ${counts[0]} rows, raw SQL ${counts[1]}`);
      const apiP95 = pct(times[0]!, 95);
      const rawP95 = pct(times[1]!, 95);
      ratios.push(apiP95 / rawP95);
      cases.forEach(([name], i) => rows.push([`${label} (q=${q})`, name, String(counts[i]), fixed(pct(times[i]!, 50), 2), fixed(pct(times[i]!, 95), 2), String(times[i]!.length)]));
    }
    log('');
    log(renderTable(['search', 'statement', 'rows', 'p50 ms', 'p95 ms', 'runs'], rows));
    log('');
    log(`api p95 / raw SQL p95 per query: ${ratios.map((r) => fixed(r, 2)).join(', ')}`);

    for (const [label, statement, underPolicy] of [
      ['api, rare word', api('w1234'), true],
      ['api, common word', api('refund'), true],
      ['raw SQL, rare word', raw('w1234'), false],
      ['former api, rare word', former('w1234'), true],
    ] as const) {
      const plan = await explain(statement, underPolicy);
      log('');
      const ran = (re: RegExp) => plan.some((l) => re.test(l) && !/never executed/.test(l));
      const verdict = ran(/Function Scan on ticket_search_candidates/)
        ? ran(/Index Scan using tickets_pkey/)
          ? 'candidates from the GIN indexes (function), joined back by primary key'
          : 'frequent term: candidates counted (function), then the list walk'
        : ran(/Bitmap Index Scan on (tickets_tenant_search|ticket_messages_tenant_search)/)
          ? 'GIN index inline'
          : 'list walk, filtering each ticket';
      log(`EXPLAIN ANALYZE ${label}: ${verdict}${plan.some((l) => /Seq Scan on tickets\b/.test(l)) ? '; SEQUENTIAL SCAN on tickets' : ''}`);
      for (const line of plan) log(`  ${line}`);
    }
  },
};
