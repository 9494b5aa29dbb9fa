import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { QueueRegistry } from '../queues/queue-registry.service';
import { defineContext } from '../registry/context';
import { ContextRegistry } from '../registry/context-registry';
import { defineOperatorStats } from './operator-stats';
import { OperatorStats } from './operator-stats.service';

describe('OperatorStats', () => {
  const now = new Date('2026-12-07T10:00:00Z');
  const statements: string[] = [];
  const dataSource = {
    transaction: async (work: (m: { query: (sql: string, params?: unknown[]) => Promise<unknown[]> }) => Promise<unknown>) =>
      work({ query: async (sql: string) => (statements.push(sql), [{ n: '7' }]) }),
  } as unknown as DataSource;

  const queue = (name: string, counts: Record<string, number>, oldestAt: number | null, hang = false) =>
    ({
      name,
      getJobCounts: async () => (hang ? new Promise(() => undefined) : counts),
      getJobs: async () => (oldestAt === null ? [] : [{ timestamp: oldestAt }]),
    }) as unknown as Queue;

  const registry = new ContextRegistry([
    defineContext({
      name: 'alpha',
      operatorStats: [
        defineOperatorStats({ name: 'widgets', description: 'x', collect: async (db, window) => ({ count: Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM widgets'))[0]!.n), days: window.days }) }),
        defineOperatorStats({ name: 'broken', description: 'x', collect: async () => { throw new Error('relation "gadgets" does not exist'); } }),
      ],
    }),
  ]);

  it('answers every section, a failing one as null named in unavailable, and each queue with the age of its oldest waiting job', async () => {
    const queues = {
      all: () => [queue('outbox', { waiting: 2, active: 1, delayed: 0, failed: 3 }, Date.now() - 90_000), queue('webhooks', { waiting: 0, active: 0, delayed: 4, failed: 0 }, null)],
    } as unknown as QueueRegistry;
    const stats = await new OperatorStats(registry, queues, dataSource).collect(now);
    expect(stats.window).toEqual({ from: '2026-11-08T00:00:00.000Z', to: now.toISOString(), days: 30, top: 50 });
    expect(stats.sections).toEqual({ widgets: { count: 7, days: 30 }, broken: null });
    expect(stats.unavailable).toEqual(['broken']);
    expect(stats.queues).toEqual([
      { name: 'outbox', waiting: 2, active: 1, delayed: 0, failed: 3, oldestWaitingAgeSeconds: expect.closeTo(90, 0) },
      { name: 'webhooks', waiting: 0, active: 0, delayed: 4, failed: 0, oldestWaitingAgeSeconds: null },
    ]);
    // Each section runs read-only with a statement timeout.
    expect(statements[0]).toMatch(/transaction_read_only.*statement_timeout/);
  });

  it('does not wait for a queue whose Redis does not answer', async () => {
    const queues = { all: () => [queue('outbox', {}, null, true)] } as unknown as QueueRegistry;
    const started = Date.now();
    const stats = await new OperatorStats(registry, queues, dataSource).collect(now);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(stats.queues).toEqual([]);
    expect(stats.unavailable).toEqual(['broken', 'queues.outbox']);
  });
});
