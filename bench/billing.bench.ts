import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { billingSql } from '../libs/billing/src/repositories/billing.sql';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { fixed, renderTable } from './support/table';

const TENANTS = 4;
const MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-3-5-haiku', 'gemini-1.5-flash', 'local'];
const EVENTS = 6_000;
const CLIENTS = 4;
const CONSUMER = 'billing.meter-ai-usage';

interface UsageEvent {
  id: string;
  tenantId: string;
  day: string;
  model: string;
  tokens: number;
  costMicros: number;
}

/**
 * The usage meter's throughput: AI usage events folded into daily usage the way the billing
 * consumer does it (one transaction per event: tenant pinned, application role, the platform's
 * event receipt, then `billingSql.addUsage`), against a raw SQL upsert of the same sums (owner
 * role, no receipt, autocommit) — both by 4 clients over the same events, spread over 4 tenants,
 * 5 models and 3 days. The consumer pass is then replayed: every event is refused by its receipt
 * and the totals do not move. Dispatch through the outbox relay and BullMQ is not included.
 */
export const billingBenchmark: Benchmark = {
  name: 'billing',
  description: 'usage meter: AI usage events aggregated per second by the consumer’s transaction (receipt + upsert under RLS) vs a raw SQL upsert, 4 clients',
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const pool = new Pool({ connectionString: database.url, max: CLIENTS + 1 });
    cleanup.add('close pool', () => pool.end());

    const tenants: string[] = [];
    for (let i = 0; i < TENANTS; i++) {
      tenants.push(((await pool.query(`INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id`, [`billing-bench-${i}-${randomUUID().slice(0, 8)}`])).rows[0] as { id: string }).id);
    }
    const events: UsageEvent[] = Array.from({ length: EVENTS }, (_, i) => ({
      id: randomUUID(),
      tenantId: tenants[i % TENANTS]!,
      day: `2026-12-0${1 + (i % 3)}`,
      model: MODELS[i % MODELS.length]!,
      tokens: 100 + (i % 900),
      costMicros: 30 + (i % 70),
    }));

    const consume = async (c: PoolClient, e: UsageEvent): Promise<boolean> => {
      await c.query('BEGIN');
      try {
        await c.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [e.tenantId]);
        const { rowCount } = await c.query(`INSERT INTO event_receipts (tenant_id, consumer, event_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`, [e.tenantId, CONSUMER, e.id]);
        if (rowCount) {
          const s = billingSql.addUsage(e.tenantId, e.day, 'ai_tokens', e.model, e.tokens, e.costMicros);
          await c.query(s.sql, s.params as unknown[]);
        }
        await c.query('COMMIT');
        return rowCount === 1;
      } catch (error) {
        await c.query('ROLLBACK');
        throw error;
      }
    };
    // The baseline writes into a copy of the table, so both passes start from nothing.
    await pool.query(`CREATE TABLE billing_usage_bench (LIKE billing_usage_daily INCLUDING ALL)`);
    cleanup.add('drop baseline table', () => pool.query(`DROP TABLE IF EXISTS billing_usage_bench`).then(() => undefined));
    const raw = async (c: PoolClient, e: UsageEvent): Promise<boolean> => {
      await c.query(
        `INSERT INTO billing_usage_bench AS u (tenant_id, day, category, dimension, quantity, cost_micros) VALUES ($1, $2, 'ai_tokens', $3, $4, $5)
         ON CONFLICT (tenant_id, day, category, dimension) DO UPDATE SET quantity = u.quantity + excluded.quantity, cost_micros = u.cost_micros + excluded.cost_micros`,
        [e.tenantId, e.day, e.model, e.tokens, e.costMicros],
      );
      return true;
    };

    const pass = async (label: string, work: (c: PoolClient, e: UsageEvent) => Promise<boolean>) => {
      const clients = await Promise.all(Array.from({ length: CLIENTS }, () => pool.connect()));
      let next = 0;
      let applied = 0;
      const t0 = performance.now();
      try {
        await Promise.all(
          clients.map(async (c) => {
            while (next < events.length) {
              if (signal.aborted) throw signal.reason;
              if (await work(c, events[next++]!)) applied++;
            }
          }),
        );
      } finally {
        clients.forEach((c) => c.release());
      }
      const seconds = (performance.now() - t0) / 1000;
      log(`${label}: ${events.length} events in ${fixed(seconds, 2)} s`);
      return { label, seconds, applied, perSecond: events.length / seconds };
    };

    const totals = async (table: string) => (await pool.query(`SELECT sum(quantity)::bigint AS q, sum(cost_micros)::bigint AS c, count(*)::int AS n FROM ${table}`)).rows[0] as { q: string; c: string; n: number };
    // The baseline runs before and after the consumer, so drift in machine load shows.
    const baselineA = await pass('raw SQL upsert', raw);
    await pool.query(`TRUNCATE billing_usage_bench`);
    const consumer = await pass('consumer (receipt + upsert under RLS)', consume);
    const baselineB = await pass('raw SQL upsert (again)', raw);
    const replay = await pass('consumer replay (every event already received)', consume);

    const meter = await totals('billing_usage_daily');
    const expected = await totals('billing_usage_bench');
    if (meter.q !== expected.q || meter.c !== expected.c || meter.n !== expected.n) throw new Error(`the meter holds ${JSON.stringify(meter)}, the baseline ${JSON.stringify(expected)}`);
    if (consumer.applied !== EVENTS || replay.applied !== 0) throw new Error(`applied ${consumer.applied} then ${replay.applied} on replay`);

    const baselineRate = (baselineA.perSecond + baselineB.perSecond) / 2;
    log('');
    log(renderTable(['pass', 'events', 'applied', 'seconds', 'events/s'], [baselineA, consumer, baselineB, replay].map((p) => [p.label, String(EVENTS), String(p.applied), fixed(p.seconds, 2), fixed(p.perSecond, 0)])));
    log('');
    log(`rows: ${meter.n} (tenant × day × model); totals equal to the baseline's: ${meter.q} tokens, ${meter.c} µ$`);
    log(`consumer events/s / raw SQL upsert events/s = ${fixed(consumer.perSecond / baselineRate, 2)}`);
  },
};
