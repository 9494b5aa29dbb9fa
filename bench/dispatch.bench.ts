import { Pool } from 'pg';
import { availabilitySql } from '../libs/field-service/src/repositories/availability.sql';
import { visitsSql } from '../libs/field-service/src/repositories/visits.sql';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { percentileOf, statementTimer } from './support/statement-timing';
import { fixed, renderTable } from './support/table';

const TECHNICIANS = 200;
const DAYS = 30;
const VISITS = 20_000;
const RUNS = 60;
const CLIENTS = 8;
const ATTEMPTS_PER_CLIENT = 250;
const DAY = 86_400_000;

/**
 * The dispatch board and booking on one tenant with 200 technicians × 30 days and 20,000 visits
 * (seeded by SQL, each technician with working hours and a few blocked slots). The board: one day,
 * all technicians, `visitsSql.between` as the api runs it (one transaction, tenant pinned,
 * application role) against a hand-written statement run by the superuser with no row-level
 * security, interleaved run by run; the board's two availability reads are timed alongside.
 * Booking: 8 clients inserting through `visitsSql.insert`, each insert in its own transaction under
 * the tenant role, onto 50 technicians × 5 days of random overlapping slots, so the exclusion
 * constraint refuses some; bookings and conflicts per second.
 */
export const dispatchBenchmark: Benchmark = {
  name: 'dispatch',
  description: 'dispatch board (one day, 200 technicians, 20k visits): api statement vs raw SQL; booking throughput under the exclusion constraint, 8 clients',
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const pool = new Pool({ connectionString: database.url, max: CLIENTS + 1 });
    cleanup.add('close pool', () => pool.end());

    const started = Date.now();
    const base = new Date(Date.UTC(2027, 0, 4)); // a Monday
    log(`seeding ${TECHNICIANS} technicians × ${DAYS} days, ${VISITS} visits…`);
    const [{ id: tenantId }] = (await pool.query(`INSERT INTO tenants (slug, name) VALUES ('dispatch-bench', 'Dispatch bench') RETURNING id`)).rows as { id: string }[];
    const technicians = (
      await pool.query(`SELECT gen_random_uuid() AS id FROM generate_series(1, $1)`, [TECHNICIANS])
    ).rows.map((r: { id: string }) => r.id);
    // One job per 10 visits; contacts and addresses are other contexts' rows the board never reads.
    await pool.query(
      `INSERT INTO fs_jobs (tenant_id, contact_id, address_id, title) SELECT $1, gen_random_uuid(), gen_random_uuid(), 'Job ' || g FROM generate_series(1, $2) g`,
      [tenantId, VISITS / 10],
    );
    // Visit g: technician g % 200, day (g / 200) % 30, slot (g / 6000) of 2 hours from 08:00, 90 minutes: no overlaps.
    await pool.query(
      `WITH jobs AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM fs_jobs WHERE tenant_id = $1),
            techs AS (SELECT t, ordinality - 1 AS n FROM unnest($2::uuid[]) WITH ORDINALITY t)
       INSERT INTO fs_visits (tenant_id, job_id, technician_id, scheduled_start, scheduled_end)
       SELECT $1, jobs.id, techs.t, s, s + interval '90 minutes'
         FROM generate_series(0, $3 - 1) g
         CROSS JOIN LATERAL (SELECT $4::timestamptz + make_interval(days => ((g / $5) % $6)::int, hours => 8 + 2 * (g / ($5 * $6))::int) AS s) slot
         JOIN techs ON techs.n = g % $5
         JOIN jobs ON jobs.n = g / 10`,
      [tenantId, technicians, VISITS, base.toISOString(), TECHNICIANS, DAYS],
    );
    const weekly = JSON.stringify({ mon: [{ start: '08:00', end: '17:00' }], tue: [{ start: '08:00', end: '17:00' }], wed: [{ start: '08:00', end: '17:00' }], thu: [{ start: '08:00', end: '17:00' }], fri: [{ start: '08:00', end: '17:00' }], sat: [], sun: [] });
    await pool.query(`INSERT INTO fs_working_hours (tenant_id, technician_id, time_zone, weekly) SELECT $1, t, 'UTC', $3::jsonb FROM unnest($2::uuid[]) t`, [tenantId, technicians, weekly]);
    // Two blocked afternoons per technician over the month.
    await pool.query(
      `INSERT INTO fs_unavailability (tenant_id, technician_id, starts_at, ends_at, reason)
       SELECT $1, t, $3::timestamptz + make_interval(days => (k * 11 + ord::int) % $4, hours => 14), $3::timestamptz + make_interval(days => (k * 11 + ord::int) % $4, hours => 17), 'Blocked'
         FROM unnest($2::uuid[]) WITH ORDINALITY AS u(t, ord) CROSS JOIN generate_series(1, 2) k`,
      [tenantId, technicians, base.toISOString(), DAYS],
    );
    await pool.query('ANALYZE');
    const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM fs_visits WHERE tenant_id = $1`, [tenantId])).rows as { n: number }[];
    if (n !== VISITS) throw new Error(`seeded ${n} visits, expected ${VISITS}`);
    log(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);

    const from = new Date(base.getTime() + 9 * DAY); // a Wednesday
    const to = new Date(from.getTime() + DAY);
    const api = visitsSql.between(tenantId, from, to);
    const raw = {
      sql: `SELECT id, job_id, technician_id, status, scheduled_start, scheduled_end, arrival_window_start, arrival_window_end, clocked_in_at, clocked_out_at, created_at, updated_at, version
              FROM fs_visits WHERE tenant_id = $1 AND status <> 'cancelled' AND scheduled_start < $3 AND scheduled_end > $2 ORDER BY scheduled_start, id`,
      params: [tenantId, from.toISOString(), to.toISOString()],
    };
    const hours = availabilitySql.hoursOfAll(tenantId);
    const blocks = availabilitySql.unavailabilityBetween(tenantId, from, to);

    const client = await pool.connect();
    let released = false;
    cleanup.add('release client', () => {
      if (!released) client.release();
    });
    const { pin, timed } = statementTimer(client, tenantId);
    const pct = percentileOf;

    const cases = [
      ['visits of the day (api: visitsSql.between)', api, true],
      ['visits of the day (raw SQL, no RLS)', raw, false],
      ['working hours of all (availabilitySql.hoursOfAll)', hours, true],
      ['unavailability of the day (availabilitySql.unavailabilityBetween)', blocks, true],
    ] as const;
    const times: number[][] = cases.map(() => []);
    const counts = cases.map(() => 0);
    for (const [, statement, underPolicy] of cases) await timed(statement, underPolicy);
    for (let run = 0; run < RUNS; run++) {
      for (let i = 0; i < cases.length; i++) {
        const { ms, rows } = await timed(cases[i]![1], cases[i]![2]);
        times[i]!.push(ms);
        counts[i] = rows;
      }
      if (signal.aborted) throw signal.reason;
    }
    if (counts[0] !== counts[1]) throw new Error(`the api found ${counts[0]} visits, raw SQL ${counts[1]}`);
    log('');
    log(renderTable(['statement', 'rows', 'p50 ms', 'p95 ms', 'runs'], cases.map(([label], i) => [label, String(counts[i]), fixed(pct(times[i]!, 50), 2), fixed(pct(times[i]!, 95), 2), String(times[i]!.length)])));
    log('');
    log(`dispatch board statement: api p95 / raw SQL p95 = ${fixed(pct(times[0]!, 95) / pct(times[1]!, 95), 2)}`);
    client.release();
    released = true;

    // Booking: 8 clients, random 90-minute slots on the hour for 50 technicians over 5 days after the seeded month.
    log('booking…');
    const jobId = ((await pool.query(`SELECT id FROM fs_jobs WHERE tenant_id = $1 LIMIT 1`, [tenantId])).rows[0] as { id: string }).id;
    const bookingBase = base.getTime() + (DAYS + 1) * DAY;
    let booked = 0;
    let conflicts = 0;
    const latencies: number[] = [];
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => pool.connect()));
    cleanup.add('release booking clients', () => clients.forEach((c) => c.release()));
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c, ci) => {
        let seed = ci + 1;
        const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648), seed % n);
        for (let i = 0; i < ATTEMPTS_PER_CLIENT; i++) {
          const start = new Date(bookingBase + rand(5) * DAY + (8 + rand(9)) * 3_600_000);
          const slot = { start, end: new Date(start.getTime() + 90 * 60_000), arrivalWindowStart: null, arrivalWindowEnd: null };
          const statement = visitsSql.insert(tenantId, jobId, technicians[rand(50)]!, slot);
          const began = performance.now();
          await c.query('BEGIN');
          try {
            await pin(c);
            await c.query(statement.sql, statement.params);
            await c.query('COMMIT');
            booked++;
          } catch (error) {
            await c.query('ROLLBACK');
            if ((error as { code?: string }).code !== '23P01') throw error;
            conflicts++;
          }
          latencies.push(performance.now() - began);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    for (const c of clients.splice(0)) c.release();
    log('checking that no overlapping visits were left…');
    const overlapping = (
      await pool.query(
        `SELECT count(*)::int AS n FROM fs_visits a JOIN fs_visits b ON a.tenant_id = b.tenant_id AND a.technician_id = b.technician_id AND a.id < b.id
           AND tstzrange(a.scheduled_start, a.scheduled_end) && tstzrange(b.scheduled_start, b.scheduled_end)
          WHERE a.tenant_id = $1 AND a.scheduled_start >= $2 AND b.scheduled_start >= $2`,
        [tenantId, new Date(bookingBase).toISOString()],
      )
    ).rows[0] as { n: number };
    log('');
    log(
      renderTable(
        ['clients', 'attempts', 'booked', 'conflicts (23P01)', 'seconds', 'attempts/s', 'bookings/s', 'p50 ms', 'p95 ms', 'overlaps left'],
        [[String(CLIENTS), String(CLIENTS * ATTEMPTS_PER_CLIENT), String(booked), String(conflicts), fixed(seconds, 2), fixed((booked + conflicts) / seconds, 1), fixed(booked / seconds, 1), fixed(pct(latencies, 50), 2), fixed(pct(latencies, 95), 2), String(overlapping.n)]],
      ),
    );
  },
};
