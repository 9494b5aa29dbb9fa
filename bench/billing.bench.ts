import { randomUUID } from 'node:crypto';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { from, lastValueFrom, mergeAll, of, type Observable } from 'rxjs';
import type { BillingConfig } from '../libs/billing/src/billing.context';
import { ApiBudgetInterceptor } from '../libs/billing/src/budgets/api-budget.interceptor';
import { BudgetCapsRepository } from '../libs/billing/src/budgets/budget-caps.repository';
import { BudgetCaps } from '../libs/billing/src/budgets/budget-caps.service';
import { CappedAiBudget } from '../libs/billing/src/budgets/capped-ai-budget';
import { PlanLimits } from '../libs/billing/src/entitlements/plan-limits';
import { TenantBilling } from '../libs/billing/src/entitlements/tenant-billing.service';
import { TenantStandingInterceptor } from '../libs/billing/src/http/tenant-standing.interceptor';
import type { ApiUsageCounter } from '../libs/billing/src/metering/api-usage-counter';
import { BillingRepository } from '../libs/billing/src/repositories/billing.repository';
import { billingSql } from '../libs/billing/src/repositories/billing.sql';
import { localInvalidationBus, type CommandContext, type TenantTransaction } from '../libs/platform/src';
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

    log('');
    await entitlementChecks(pool, tenants, log);
  },
};

const CHECKS = 20_000;
const WARMUP = 2_000;

/** A TenantTransaction over a pool: tenant pinned and application role, like the platform's, with the repositories' manager.query. */
function poolTransaction(pool: Pool): TenantTransaction {
  return {
    async run<T>(context: CommandContext, work: (tx: unknown) => Promise<T>): Promise<T> {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [context.tenantId]);
        const result = await work({ tenantId: context.tenantId, context, manager: { query: async (sql: string, params?: unknown[]) => (await c.query(sql, params)).rows } });
        await c.query('COMMIT');
        return result;
      } catch (error) {
        await c.query('ROLLBACK');
        throw error;
      } finally {
        c.release();
      }
    },
  } as unknown as TenantTransaction;
}

/**
 * What the entitlement checks add to a tenant's request, in process: the billing interceptors a
 * request passes (subscription standing with the usage counter, then the API budget cap) and the
 * AI budget the gateway asks for before a call, with the real services and caches over the bench
 * database (the first call of a tenant reads it; the rest hit the caches, as a busy tenant does).
 * Baseline: the same request through a pass-through interceptor. p50 of 20,000 requests each.
 */
async function entitlementChecks(pool: Pool, tenants: readonly string[], log: (line: string) => void): Promise<void> {
  const [uncapped, capped] = tenants as [string, string];
  // One tenant with an API cap far above its usage (the cap path runs fully) and an AI spend cap.
  await pool.query(`INSERT INTO billing_budget_caps (tenant_id, api_requests, ai_spend_cents) VALUES ($1, 1000000000, 5000)`, [capped]);
  const tx = poolTransaction(pool);
  const { bus } = localInvalidationBus();
  const config = { BILLING_DEFAULT_PLAN: 'business', BILLING_GRACE_HOURS: 168 } as BillingConfig;
  const billing = new TenantBilling(config, tx, new BillingRepository(), bus);
  const caps = new BudgetCaps(tx, new BudgetCapsRepository(), billing, bus);
  const counter = { count: () => undefined } as unknown as ApiUsageCounter;
  const chain: NestInterceptor[] = [new TenantStandingInterceptor(billing, counter), new ApiBudgetInterceptor(caps)];
  const ai = new CappedAiBudget(new PlanLimits(billing), caps);
  const passThrough: NestInterceptor = { intercept: (_c, next) => next.handle() };

  const request = (tenantId: string) => ({ method: 'POST', path: '/v1/tickets', principal: { kind: 'user', id: 'u', tenantId } });
  const contextOf = (req: object) => ({ getType: () => 'http', switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}) }) }) as unknown as ExecutionContext;
  const handler: CallHandler = { handle: () => of(null) };
  // As Nest chains them: each interceptor may be async and wraps the next one's observable.
  const through = (interceptors: readonly NestInterceptor[], ctx: ExecutionContext) => {
    const call = (i: number): Observable<unknown> => (i === interceptors.length ? handler.handle() : from(Promise.resolve(interceptors[i]!.intercept(ctx, { handle: () => call(i + 1) }))).pipe(mergeAll()));
    return lastValueFrom(call(0));
  };
  const p50 = async (label: string, once: () => Promise<unknown>) => {
    const t0 = performance.now();
    await once();
    const cold = performance.now() - t0;
    for (let i = 0; i < WARMUP; i++) await once();
    const times = new Float64Array(CHECKS);
    for (let i = 0; i < CHECKS; i++) {
      const s = performance.now();
      await once();
      times[i] = performance.now() - s;
    }
    times.sort();
    return { label, cold, p50: times[CHECKS >> 1]!, p99: times[Math.floor(CHECKS * 0.99)]! };
  };

  const uncappedCtx = contextOf(request(uncapped));
  const cappedCtx = contextOf(request(capped));
  const rows = [
    await p50('baseline: pass-through interceptor', () => through([passThrough], uncappedCtx)),
    await p50('standing check only (before budget caps), no caps', () => through(chain.slice(0, 1), uncappedCtx)),
    await p50('billing interceptors, tenant without caps', () => through(chain, uncappedCtx)),
    await p50('billing interceptors, tenant with an API cap', () => through(chain, cappedCtx)),
    await p50('baseline again: pass-through interceptor', () => through([passThrough], uncappedCtx)),
    await p50('AI budget (plan + caps), tenant with caps', () => ai.budgetFor({ tenantId: capped, actorId: null, correlationId: null })),
  ];
  const micro = (ms: number) => fixed(ms * 1000, 1);
  log(renderTable(['request', 'first call (µs, cold: JIT, database reads)', 'p50 (µs)', 'p99 (µs)'], rows.map((r) => [r.label, micro(r.cold), micro(r.p50), micro(r.p99)])));
  const base = (rows[0]!.p50 + rows[4]!.p50) / 2;
  const [, standing, uncappedRow, cappedRow] = rows as [unknown, (typeof rows)[number], (typeof rows)[number], (typeof rows)[number]];
  log(`entitlement checks add p50 ${micro(uncappedRow.p50 - base)} µs (no caps) and ${micro(cappedRow.p50 - base)} µs (API cap) per request; with/without p50 = ${fixed(uncappedRow.p50 / base, 2)} and ${fixed(cappedRow.p50 / base, 2)}`);
  log(`of which the budget-cap check: p50 ${micro(uncappedRow.p50 - standing.p50)} µs (no caps), ${micro(cappedRow.p50 - standing.p50)} µs (API cap)`);
}
