import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import type { TenantTransaction } from '@switchboard/platform';
import type { BillingConfig } from '../billing.context';
import type { MeterReportsRepository } from './meter-reports.repository';
import type { MeterReportRow } from './meter-reports.sql';
import { MeterReporter } from './meter-reporter';
import type { NewMeterReport } from './meter-slices';
import { isDuplicateIdentifier, isPermanent, type MeterEventOutcome, type StripeMeters } from './stripe-meters';

const A = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
const B = '7a2d2d47-66b5-4a54-8e8d-1e2b2f1c0b22';
const now = new Date('2026-12-07T15:30:00.000Z');

/** A repository over arrays: usage per tenant, and the report rows the reporter decides and updates. */
function setup(outcomes: (identifier: string) => MeterEventOutcome, configured = true, withLevels = false) {
  const usage = new Map<string, { day: string; category: string; dimension: string; quantity: number }[]>([
    [A, [{ day: '2026-12-07', category: 'api_requests', dimension: 'tickets', quantity: 10 }]],
    [B, [{ day: '2026-12-07', category: 'ai_tokens', dimension: 'gpt-4o', quantity: 70 }]],
  ]);
  const rows: MeterReportRow[] = [];
  const gauges = new Map<string, number>();
  // Stored bytes and seats; 0 (nothing to report) unless a test asks for them.
  const levels = withLevels ? { storage: 1_000, seats: 3 } : { storage: 0, seats: 0 };
  const repository = {
    raiseGauge: async (tx: { tenantId: string }, period: string, category: string, value: number) => {
      const key = `${tx.tenantId}|${period}|${category}`;
      gauges.set(key, Math.max(gauges.get(key) ?? 0, value));
      return gauges.get(key)!;
    },
    lastGaugeReport: async (tx: { tenantId: string }, category: string, period: string) => {
      const mine = rows.filter((r) => r.tenant_id === tx.tenantId && r.category === category && r.day === period);
      return mine.length ? { quantity: Math.max(...mine.map((r) => Number(r.quantity))), seq: Math.max(...mine.map((r) => r.seq)) } : null;
    },
    customers: async () => [A, B].map((tenant_id) => ({ tenant_id, stripe_customer_id: `cus_${tenant_id.slice(0, 4)}`, current_period_start: null, current_period_end: null })),
    usageSince: async (tx: { tenantId: string }) => usage.get(tx.tenantId) ?? [],
    reportedSince: async (tx: { tenantId: string }) => {
      const mine = rows.filter((r) => r.tenant_id === tx.tenantId && (r.category === 'api_requests' || r.category === 'ai_tokens'));
      const slices = new Map<string, { category: string; dimension: string; day: string; quantity: number; seq: number }>();
      for (const r of mine) {
        const key = `${r.category}|${r.dimension}|${r.day}`;
        const s = slices.get(key) ?? { category: r.category, dimension: r.dimension, day: r.day, quantity: 0, seq: 0 };
        s.quantity += Number(r.quantity);
        s.seq = Math.max(s.seq, r.seq);
        slices.set(key, s);
      }
      return [...slices.values()];
    },
    insert: async (tx: { tenantId: string }, r: NewMeterReport, eventName: string, customerId: string) => {
      rows.push({ tenant_id: tx.tenantId, identifier: r.identifier, category: r.category, dimension: r.dimension, day: r.day, seq: r.seq, quantity: String(r.quantity), event_name: eventName, stripe_customer_id: customerId, event_at: new Date(r.eventAt), status: 'pending', attempts: 0, last_error: null, created_at: now, sent_at: null });
      return true;
    },
    pending: async () => rows.filter((r) => r.status === 'pending'),
    sent: async (tx: { tenantId: string }, identifier: string) => {
      const row = rows.find((r) => r.tenant_id === tx.tenantId && r.identifier === identifier)!;
      Object.assign(row, { status: 'sent', attempts: row.attempts + 1 });
    },
    failed: async (tx: { tenantId: string }, identifier: string, error: string, rejected: boolean) => {
      const row = rows.find((r) => r.tenant_id === tx.tenantId && r.identifier === identifier)!;
      Object.assign(row, { status: rejected ? 'rejected' : 'pending', attempts: row.attempts + 1, last_error: error });
    },
  };
  const sent: { identifier: string; customerId: string; quantity: number; model: string | null }[] = [];
  const meters = {
    configured,
    eventName: (category: string) => `switchboard_${category}`,
    send: jest.fn(async (e: { identifier: string; customerId: string; quantity: number; model: string | null }) => {
      const outcome = outcomes(e.identifier);
      if (outcome.ok) sent.push({ identifier: e.identifier, customerId: e.customerId, quantity: e.quantity, model: e.model });
      return outcome;
    }),
  };
  // Sends run concurrently, each in its own tenant's transaction (FakeTenantTransaction shares one open transaction).
  const tx = {
    run: async (context: { tenantId: string }, work: (t: { tenantId: string }) => Promise<unknown>) => work({ tenantId: context.tenantId }),
    runAsSystem: async (work: (m: unknown) => Promise<unknown>) => work(null),
  } as unknown as TenantTransaction;
  const queries = { execute: async (q: object) => (q.constructor.name === 'GetStorageUsageQuery' ? levels.storage : levels.seats) };
  const reporter = new MeterReporter(tx, repository as unknown as MeterReportsRepository, meters as unknown as StripeMeters, { BILLING_METER_BATCH: 100 } as BillingConfig, queries as unknown as QueryBus);
  return { reporter, rows, sent, usage, meters, levels };
}

describe('MeterReporter', () => {
  it('decides each tenant’s deltas and sends them to that tenant’s customer, then only new growth', async () => {
    const { reporter, rows, sent, usage } = setup(() => ({ ok: true }));
    expect(await reporter.run(now)).toEqual({ decided: 2, sent: 2, failed: 0, rejected: 0 });
    expect(sent).toEqual(
      expect.arrayContaining([
        { identifier: rows[0]!.identifier, customerId: `cus_${A.slice(0, 4)}`, quantity: 10, model: null },
        { identifier: rows[1]!.identifier, customerId: `cus_${B.slice(0, 4)}`, quantity: 70, model: 'gpt-4o' },
      ]),
    );
    expect(await reporter.run(now)).toEqual({ decided: 0, sent: 0, failed: 0, rejected: 0 });
    usage.get(A)![0]!.quantity = 15;
    expect(await reporter.run(now)).toMatchObject({ decided: 1, sent: 1 });
    expect(sent.at(-1)).toMatchObject({ quantity: 5 });
    expect(rows.filter((r) => r.tenant_id === A).map((r) => r.seq)).toEqual([1, 2]);
  });

  it('leaves what Stripe did not take pending and fails the run for a retry; the retry sends the same identifier and quantity', async () => {
    let down = true;
    const { reporter, rows, sent } = setup(() => (down ? { ok: false, error: '500: down', rejected: false } : { ok: true }));
    await expect(reporter.run(now)).rejects.toThrow('2 meter events could not reach Stripe');
    expect(rows.map((r) => [r.status, r.attempts, r.last_error])).toEqual([
      ['pending', 1, '500: down'],
      ['pending', 1, '500: down'],
    ]);
    down = false;
    const identifiers = rows.map((r) => r.identifier);
    expect(await reporter.run(now)).toEqual({ decided: 0, sent: 2, failed: 0, rejected: 0 });
    expect(sent.map((s) => s.identifier).sort()).toEqual([...identifiers].sort());
    expect(sent.map((s) => s.quantity).sort()).toEqual([10, 70]);
  });

  it('marks a report Stripe rejects as rejected, never resends it, and does not fail the run for it', async () => {
    const { reporter, rows, meters } = setup(() => ({ ok: false, error: '400: No such customer', rejected: true }));
    expect(await reporter.run(now)).toEqual({ decided: 2, sent: 0, failed: 0, rejected: 2 });
    expect(rows.every((r) => r.status === 'rejected')).toBe(true);
    await reporter.run(now);
    expect(meters.send).toHaveBeenCalledTimes(2);
  });

  it('does nothing without Stripe', async () => {
    const { reporter, rows } = setup(() => ({ ok: true }), false);
    expect(await reporter.run(now)).toEqual({ decided: 0, sent: 0, failed: 0, rejected: 0 });
    expect(rows).toEqual([]);
  });
});

describe('MeterReporter: stored bytes and seats', () => {
  it('reports a gauge’s high-water of the period when it rises, never when it falls back', async () => {
    const { reporter, rows, sent, levels } = setup(() => ({ ok: true }), true, true);
    await reporter.run(now);
    const gauge = (category: string) => rows.filter((r) => r.tenant_id === A && r.category === category).map((r) => [r.day, r.seq, Number(r.quantity)]);
    expect(gauge('storage_bytes')).toEqual([['2026-12-01', 1, 1_000]]);
    expect(gauge('seats')).toEqual([['2026-12-01', 1, 3]]);
    levels.storage = 400; // files deleted: the period's high-water stays
    levels.seats = 5;
    await reporter.run(now);
    expect(gauge('storage_bytes')).toEqual([['2026-12-01', 1, 1_000]]);
    expect(gauge('seats')).toEqual([['2026-12-01', 1, 3], ['2026-12-01', 2, 5]]);
    expect(sent.filter((s) => s.customerId === `cus_${A.slice(0, 4)}` && s.model === null).map((s) => s.quantity).sort((a, b) => a - b)).toEqual([3, 5, 10, 1_000]);
  });
});

describe('Stripe failures', () => {
  it('treats invalid requests as permanent, the rest as retryable, and an identifier Stripe already has as delivered', () => {
    expect(isPermanent({ statusCode: 400 })).toBe(true);
    expect(isPermanent({ statusCode: 404 })).toBe(true);
    for (const statusCode of [401, 409, 429, 500, 503, undefined]) expect(isPermanent({ statusCode })).toBe(false);
    expect(isDuplicateIdentifier({ statusCode: 400, message: 'An event with identifier sbm_1 already exists.' })).toBe(true);
    expect(isDuplicateIdentifier({ statusCode: 400, message: 'No such customer' })).toBe(false);
    expect(isDuplicateIdentifier({ statusCode: 500, message: 'identifier already exists' })).toBe(false);
  });
});
