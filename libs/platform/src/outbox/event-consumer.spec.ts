import type { Statement } from '../database/pipelined-transaction';
import type { TenantTransaction } from '../database/tenant-transaction';
import type { EventEnvelope } from './event-envelope';
import { EventConsumer, MAX_GROUPED_DELIVERIES } from './event-consumer';

const TENANT_A = '00000000-0000-4000-8000-00000000000a';
const TENANT_B = '00000000-0000-4000-8000-00000000000b';
const event = (n: number, tenantId = TENANT_A): EventEnvelope<unknown> =>
  ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type: 'tickets.ticket_updated', tenantId, aggregateId: 'x', actorId: 'u', correlationId: 'c', payload: {} }) as unknown as EventEnvelope<unknown>;
const mark = (n: number): Statement => ({ sql: 'mark', params: [n] });

/** A database of receipts behind runBatch: records each transaction and answers the receipts it wrote. */
function fakeTransactions(options: { failWhen?: (statements: readonly Statement[]) => boolean } = {}) {
  const stored = new Set<string>();
  const transactions: { tenantId: string; actorId: unknown; statements: readonly Statement[] }[] = [];
  const tx = {
    current: () => undefined,
    runBatch: async (context: { tenantId: string; actorId: unknown }, statements: readonly Statement[]) => {
      await new Promise((r) => setTimeout(r, 5)); // a round trip
      transactions.push({ tenantId: context.tenantId, actorId: context.actorId, statements });
      if (options.failWhen?.(statements)) throw new Error('statement failed');
      const [receipt, ...rest] = statements;
      const [tenantId, consumers, ids] = receipt!.params as [string, string[], string[]];
      const written = consumers
        .map((consumer, i) => ({ consumer, event_id: ids[i]! }))
        .filter((r) => {
          const key = `${tenantId}/${r.consumer}/${r.event_id}`;
          if (stored.has(key)) return false;
          stored.add(key);
          return true;
        });
      return [written, ...rest.map(() => [])];
    },
  } as unknown as TenantTransaction;
  return { tx, transactions, stored };
}

describe('EventConsumer.onceBatched (group commit)', () => {
  it('sends one delivery alone at once, and groups the deliveries that arrive while it is on its way', async () => {
    const db = fakeTransactions();
    const consumer = new EventConsumer(db.tx);
    const first = consumer.onceBatched('q:job', event(1), [mark(1)]);
    await new Promise((r) => setImmediate(r));
    const rest = [2, 3, 4, 5].map((n) => consumer.onceBatched('q:job', event(n), [mark(n)]));
    expect(await Promise.all([first, ...rest])).toEqual([true, true, true, true, true]);
    expect(db.transactions.map((t) => t.statements.length)).toEqual([2, 5]);
    expect(db.transactions[1]!.statements.slice(1)).toEqual([mark(2), mark(3), mark(4), mark(5)]);
    // Run as the tenant's system work, never as one of the events' actors.
    expect(db.transactions.every((t) => t.actorId === null)).toBe(true);
  });

  it('answers false for a delivery whose receipt exists, and for the second copy of one delivery in a group', async () => {
    const db = fakeTransactions();
    const consumer = new EventConsumer(db.tx);
    expect(await consumer.onceBatched('q:job', event(1), [mark(1)])).toBe(true);
    const answers = await Promise.all([consumer.onceBatched('q:job', event(1), [mark(1)]), consumer.onceBatched('q:job', event(2), [mark(2)]), consumer.onceBatched('q:job', event(2), [mark(2)]), consumer.onceBatched('q:other', event(2), [])]);
    expect(answers).toEqual([false, true, false, true]);
  });

  it('inside a tenant transaction, writes the receipt and the statements in that transaction, not in a group', async () => {
    const joined: { tenantId: string; statements: readonly Statement[] }[] = [];
    const tx = {
      current: () => ({ tenantId: TENANT_A }),
      runBatch: async (context: { tenantId: string }, statements: readonly Statement[]) => {
        joined.push({ tenantId: context.tenantId, statements });
        return [[{ event_id: event(1).id }], []];
      },
    } as unknown as TenantTransaction;
    expect(await new EventConsumer(tx).onceBatched('q:job', event(1), [mark(1)])).toBe(true);
    expect(joined).toHaveLength(1);
    expect(joined[0]!.statements[0]!.params).toEqual([TENANT_A, 'q:job', event(1).id]);
    expect(joined[0]!.statements[1]).toEqual(mark(1));
  });

  it('keeps tenants apart: one transaction per tenant, each with only its own receipts', async () => {
    const db = fakeTransactions();
    const consumer = new EventConsumer(db.tx);
    await Promise.all([consumer.onceBatched('q:job', event(1, TENANT_A), [mark(1)]), consumer.onceBatched('q:job', event(2, TENANT_B), [mark(2)]), consumer.onceBatched('q:job', event(3, TENANT_A), [mark(3)])]);
    const byTenant = Object.fromEntries(db.transactions.map((t) => [t.tenantId, (t.statements[0]!.params as [string, string[], string[]])]));
    expect(db.transactions).toHaveLength(2);
    expect(byTenant[TENANT_A]![0]).toBe(TENANT_A);
    expect(byTenant[TENANT_A]![2]).toEqual([event(1).id, event(3).id]);
    expect(byTenant[TENANT_B]![2]).toEqual([event(2, TENANT_B).id]);
  });

  it(`carries at most ${MAX_GROUPED_DELIVERIES} deliveries a transaction`, async () => {
    const db = fakeTransactions();
    const consumer = new EventConsumer(db.tx);
    const n = MAX_GROUPED_DELIVERIES * 2 + 1;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => consumer.onceBatched('q:job', event(i + 1), [])));
    expect(answers.every(Boolean)).toBe(true);
    expect(db.transactions.map((t) => (t.statements[0]!.params as unknown[][])[1]!.length)).toEqual([MAX_GROUPED_DELIVERIES, MAX_GROUPED_DELIVERIES, 1]);
  });

  it('fails only the delivery at fault when a group fails: the others commit one by one', async () => {
    const db = fakeTransactions({ failWhen: (statements) => statements.some((s) => s.params?.[0] === 3) });
    const consumer = new EventConsumer(db.tx);
    const answers = await Promise.allSettled([1, 2, 3, 4].map((n) => consumer.onceBatched('q:job', event(n), [mark(n)])));
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((answers[2] as PromiseRejectedResult).reason).toEqual(new Error('statement failed'));
    expect(db.stored.size).toBe(3);
    // Afterwards the tenant's next delivery goes as usual.
    expect(await consumer.onceBatched('q:job', event(5), [mark(5)])).toBe(true);
  });
});
