import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { QueryBus } from '@nestjs/cqrs';
import { Client } from 'pg';
import type { TenantTx } from '../../libs/platform/src/database/tenant-transaction';
import { MetricsRepository } from '../../libs/reporting/src/repositories/metrics.repository';
import { RollupsRepository } from '../../libs/reporting/src/repositories/rollups.repository';
import { TicketMetricsUpdater } from '../../libs/reporting/src/worker/ticket-metrics-updater';
import type { TicketTimelinesQuery } from '../../libs/tickets/src/queries/ticket-timelines/ticket-timelines.query';
import { TimelinesRepository } from '../../libs/tickets/src/repositories/timelines.repository';

/**
 * The batched recompute (ADR 0065) against the per-ticket one: random histories of many tickets,
 * recomputed one ticket per transaction, then marked and recomputed in batches of a few (set-based
 * reads and writes), end in exactly the same figures, status intervals and rollup marks; a ticket
 * marked again while its batch ran stays marked; another tenant's marks are never taken.
 */
type Step = 'note' | 'reply' | 'answer' | 'assign' | 'open' | 'pending' | 'solved' | 'closed';
const STEPS: Step[] = ['note', 'reply', 'answer', 'assign', 'open', 'pending', 'solved', 'closed'];
const AGENT = '0b000000-0000-4000-8000-000000000001';

describe('Reporting: a batch of marked tickets recomputes to exactly the per-ticket results', () => {
  let db: Client;
  beforeAll(async () => {
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
  });

  const timelines = new TimelinesRepository();
  const metrics = new MetricsRepository();
  let current: TenantTx | null = null;
  const queries = { execute: (q: TicketTimelinesQuery) => timelines.read(current!, q.selection) } as unknown as QueryBus;
  const updater = new TicketMetricsUpdater(queries, metrics, new RollupsRepository());

  /** A pinned tenant transaction as the worker opens it: tenant set, application role (row-level security applies). */
  async function inTenant<T>(tenantId: string, work: (tx: TenantTx) => Promise<T>): Promise<T> {
    await db.query('BEGIN');
    try {
      await db.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [tenantId]);
      current = { tenantId, manager: { query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows } } as unknown as TenantTx;
      const out = await work(current);
      await db.query('COMMIT');
      return out;
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    } finally {
      current = null;
    }
  }

  async function seedTenant(histories: Step[][]): Promise<{ tenantId: string; ids: string[] }> {
    const [{ id: tenantId }] = (await db.query(`INSERT INTO tenants (slug, name) VALUES ($1, 'Batch recompute') RETURNING id`, [`batch-${randomUUID().slice(0, 12)}`])).rows;
    const [{ id: contact }] = (await db.query(`INSERT INTO contacts (tenant_id, name) VALUES ($1, 'Requester') RETURNING id`, [tenantId])).rows;
    const ids: string[] = [];
    const start = Date.parse('2026-03-27T08:00:00Z');
    for (const [n, steps] of histories.entries()) {
      const created = new Date(start + n * 37 * 60_000);
      const [{ id }] = (
        await db.query(
          `INSERT INTO tickets (tenant_id, number, subject, status, priority, type, channel, requester_id, tags, created_at, updated_at)
           VALUES ($1, $2, $3, 'new', $4, 'question', 'email', $5, $6, $7, $7) RETURNING id`,
          [tenantId, n + 1, `Ticket ${n}`, ['low', 'normal', 'high'][n % 3], contact, n % 2 ? ['vip'] : [], created],
        )
      ).rows;
      ids.push(id);
      let status = 'new';
      const events: [string, unknown, string][] = [['ticket.created', { status: { to: 'new' }, assigneeId: { to: null }, groupId: { to: null } }, 'system']];
      for (const step of steps) {
        if (step === 'note') events.push(['ticket.message_added', { message: { to: { visibility: 'internal', authorType: 'agent' } } }, 'user']);
        else if (step === 'reply') events.push(['ticket.message_added', { message: { to: { visibility: 'public', authorType: 'agent' } } }, 'user']);
        else if (step === 'answer') events.push(['ticket.message_added', { message: { to: { visibility: 'public', authorType: 'contact' } } }, 'system']);
        else if (step === 'assign') events.push(['ticket.updated', { assigneeId: { from: null, to: AGENT } }, 'user']);
        else if (step !== status) {
          events.push(['ticket.updated', { status: { from: status, to: step } }, 'user']);
          status = step;
        }
      }
      for (const [i, [action, changes, actor]] of events.entries()) {
        await db.query(`INSERT INTO ticket_events (tenant_id, ticket_id, action, changes, actor_type, created_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
          tenantId, id, action, JSON.stringify(changes), actor, new Date(created.getTime() + i * 47 * 60_000),
        ]);
      }
    }
    return { tenantId, ids };
  }

  /** What reporting keeps of the tenant: every ticket's figures and intervals, and the rollup marks (their instants), in a stable order. */
  async function kept(tenantId: string) {
    const rows = async (sql: string) => (await db.query(sql, [tenantId])).rows;
    return {
      metrics: await rows(`SELECT to_jsonb(m) - 'computed_at' AS m FROM reporting_ticket_metrics m WHERE tenant_id = $1 ORDER BY ticket_id`),
      intervals: await rows(`SELECT to_jsonb(i) AS i FROM reporting_status_intervals i WHERE tenant_id = $1 ORDER BY ticket_id, seq`),
      marks: await rows(`SELECT from_at, to_at FROM reporting_rollup_dirty WHERE tenant_id = $1 ORDER BY from_at, to_at NULLS FIRST`),
    };
  }

  async function forget(tenantId: string): Promise<void> {
    for (const table of ['reporting_ticket_metrics', 'reporting_status_intervals', 'reporting_rollup_dirty', 'reporting_ticket_dirty']) await db.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
  }

  it('over random histories of many tickets, in batches smaller than the marked set', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.constantFrom(...STEPS), { maxLength: 8 }), { minLength: 12, maxLength: 30 }), fc.integer({ min: 1, max: 9 }), async (histories, batch) => {
        const { tenantId, ids } = await seedTenant(histories);
        for (const id of ids) await inTenant(tenantId, (tx) => updater.refresh(tx, [id]));
        const perTicket = await kept(tenantId);
        expect(perTicket.metrics).toHaveLength(ids.length);
        await forget(tenantId);

        await inTenant(tenantId, (tx) => metrics.markDirty(tx, ids));
        let batches = 0;
        while ((await inTenant(tenantId, (tx) => updater.refreshDirty(tx, batch))) === batch) batches++;
        expect(batches).toBe(Math.floor(ids.length / batch));
        expect(await kept(tenantId)).toEqual(perTicket);
      }),
      { numRuns: 8 },
    );
  }, 180_000);

  it('keeps a mark made again while its batch ran, and never takes another tenant’s marks', async () => {
    const acme = await seedTenant([['reply', 'solved'], ['note'], ['assign', 'reply']]);
    const globex = await seedTenant([['reply']]);
    await inTenant(acme.tenantId, (tx) => metrics.markDirty(tx, acme.ids));
    await inTenant(globex.tenantId, (tx) => metrics.markDirty(tx, globex.ids));

    // Another event of the first ticket marks it again between the batch's read of the marks and their clearing.
    const taken = await inTenant(acme.tenantId, async (tx) => {
      const marks = await metrics.takeDirty(tx, 10);
      await updater.refresh(
        tx,
        marks.map((m) => m.ticketId),
      );
      await metrics.markDirty(tx, [acme.ids[0]!]);
      await metrics.clearDirty(tx, marks);
      return marks;
    });
    expect(taken.map((m) => m.ticketId).sort()).toEqual([...acme.ids].sort());
    const left = await db.query(`SELECT tenant_id, ticket_id, version::int AS version FROM reporting_ticket_dirty WHERE tenant_id = ANY($1::uuid[]) ORDER BY tenant_id = $2`, [
      [acme.tenantId, globex.tenantId],
      acme.tenantId,
    ]);
    expect(left.rows).toEqual([
      { tenant_id: globex.tenantId, ticket_id: globex.ids[0], version: 1 },
      { tenant_id: acme.tenantId, ticket_id: acme.ids[0], version: 2 },
    ]);
    const stored = await db.query(`SELECT tenant_id, count(*)::int AS n FROM reporting_ticket_metrics WHERE tenant_id = ANY($1::uuid[]) GROUP BY tenant_id`, [[acme.tenantId, globex.tenantId]]);
    expect(stored.rows).toEqual([{ tenant_id: acme.tenantId, n: 3 }]);

    // Under the application role, a tenant sees only its own marks.
    expect(await inTenant(acme.tenantId, (tx) => metrics.takeDirty(tx, 10))).toEqual([{ ticketId: acme.ids[0], version: 2 }]);
  });
});
