import type { EventConsumer, EnvelopeOf, QueueRegistry, TenantTransaction, TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import { TicketMerged, TicketUpdated } from '@switchboard/tickets';
import type { ReportingConfig } from '../reporting.context';
import { RecomputeTicketMetricsJob } from './recompute-ticket-metrics.job';
import type { TicketMetricsUpdater } from './ticket-metrics-updater';
import { TrackTicketMetricsJob } from './track-ticket-metrics.job';

const TENANT = '11111111-1111-4111-8111-111111111111';
const TICKET = '22222222-2222-4222-8222-222222222222';
const TARGET = '33333333-3333-4333-8333-333333333333';
const config = { REPORTING_METRICS_DEBOUNCE_MS: 150, REPORTING_METRICS_BATCH: 3 } as ReportingConfig;

describe('RecomputeTicketMetricsJob', () => {
  it('takes batches of the configured size, each in its own transaction, until one comes back short', async () => {
    const left = [3, 3, 2];
    const limits: number[] = [];
    const updater = { refreshDirty: async (_tx: TenantTx, limit: number) => (limits.push(limit), left.shift() ?? 0) } as unknown as TicketMetricsUpdater;
    const tx = new FakeTenantTransaction();
    await new RecomputeTicketMetricsJob(tx as unknown as TenantTransaction, updater, config).handle({ tenantId: TENANT });
    expect(limits).toEqual([3, 3, 3]);
    expect(tx.committed).toHaveLength(3);
    expect(tx.committed.every((t) => t.tenantId === TENANT)).toBe(true);
  });

  it('runs one empty transaction when nothing is marked (a second run)', async () => {
    const updater = { refreshDirty: async () => 0 } as unknown as TicketMetricsUpdater;
    const tx = new FakeTenantTransaction();
    await new RecomputeTicketMetricsJob(tx as unknown as TenantTransaction, updater, config).handle({ tenantId: TENANT });
    expect(tx.committed).toHaveLength(1);
  });
});

describe('TrackTicketMetricsJob', () => {
  function harness(firstDelivery: boolean) {
    const calls: unknown[][] = [];
    const consumer = {
      onceBatched: async (name: string, _event: unknown, statements: { sql: string; params: unknown[] }[]) => {
        calls.push(['receipt and statements', name, statements.map((s) => s.params)]);
        return firstDelivery;
      },
    } as unknown as EventConsumer;
    const queues = { add: async (definition: { name: string }, payload: unknown, options: unknown) => void calls.push(['queue', definition.name, payload, options]) } as unknown as QueueRegistry;
    return { calls, job: new TrackTicketMetricsJob(consumer, queues, config) };
  }
  const event = (type: string, payload: object = {}) => ({ id: 'e1', type, tenantId: TENANT, aggregateId: TICKET, payload }) as unknown as EnvelopeOf<typeof TicketUpdated>;
  const queued = ['queue', 'reporting.recompute-ticket-metrics', { tenantId: TENANT }, { delay: 150, deduplication: { id: `reporting.recompute-ticket-metrics:${TENANT}`, keepLastIfActive: true } }];

  it('marks the ticket with its receipt, then queues the tenant’s recompute a debounce later (coalesced per tenant)', async () => {
    const { calls, job } = harness(true);
    await job.handle(event(TicketUpdated.type), 'metrics-rollup:reporting.ticket-metrics');
    expect(calls).toEqual([['receipt and statements', 'metrics-rollup:reporting.ticket-metrics', [[TENANT, [TICKET]]]], queued]);
  });

  it('marks a merge’s target too', async () => {
    const { calls, job } = harness(true);
    await job.handle(event(TicketMerged.type, { targetId: TARGET.toUpperCase() }), 'c');
    expect(calls[0]).toEqual(['receipt and statements', 'c', [[TENANT, [TICKET, TARGET]]]]);
  });

  it('queues the recompute again on a duplicate delivery (its first attempt may have died after the commit)', async () => {
    const { calls, job } = harness(false);
    await job.handle(event(TicketUpdated.type), 'c');
    expect(calls.at(-1)).toEqual(queued);
  });
});
