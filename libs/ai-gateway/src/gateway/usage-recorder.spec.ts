import type { CommandContext, TenantTransaction } from '@switchboard/platform';
import type { AiGatewayConfig } from '../ai-gateway.context';
import type { ClsService } from 'nestjs-cls';
import type { TenantAiState } from './tenant-ai-state';
import { UsageRecorder, type UsageEntry } from './usage-recorder';

const TENANT = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
const OTHER = '0b8e4c1e-2f6a-4a57-9a0e-8c7d1f2e3a44';
const context = (tenantId = TENANT): CommandContext => ({ tenantId, actorId: 'u1', actorType: 'user', correlationId: 'req-1' });
const entry = (tenantId = TENANT): UsageEntry => ({
  context: context(tenantId),
  feature: 'completion',
  provider: 'oa',
  model: 'gpt-4o-mini',
  usage: { promptTokens: 11, completionTokens: 10 },
  costMicros: 7,
  latencyMs: 3,
  attempts: 1,
  outcome: 'success',
  error: null,
  template: null,
  budgeted: true,
});

/** A database that keeps usage rows by id and can fail the next writes, before or after committing them. */
function fakeDatabase() {
  const rows = new Map<string, unknown[]>();
  const db = {
    rows,
    writes: 0,
    lookups: 0,
    failures: [] as ('before-commit' | 'after-commit')[],
    gate: null as Promise<void> | null,
    events: [] as unknown[],
    batches: [] as number[],
  };
  const tx = {
    async runBatch(_ctx: CommandContext, statements: { sql: string; params: unknown[] }[], events: unknown[]) {
      if (db.gate) await db.gate;
      db.writes++;
      const params = statements[0]!.params;
      const failure = db.failures.shift();
      if (failure === 'before-commit') throw new Error('connection reset');
      db.batches.push(params.length / 18);
      for (let i = 0; i < params.length; i += 18) rows.set(params[i] as string, params.slice(i, i + 18));
      db.events.push(...events);
      if (failure === 'after-commit') throw new Error('connection reset after COMMIT');
      return [[{ month: '2026-12', calls: String(rows.size), tokens: String(rows.size * 21), cost_micros: String(rows.size * 7) }]];
    },
    async reads(_tenantId: string, statements: { params: unknown[] }[]) {
      db.lookups++;
      return [[{ n: (statements[0]!.params[1] as string[]).filter((id) => rows.has(id)).length }]];
    },
  };
  return { db, tx: tx as unknown as TenantTransaction };
}

function fakeState() {
  const calls = { accepted: [] as unknown[][], committed: [] as unknown[][] };
  const state = {
    usageAccepted: (...args: unknown[]) => void calls.accepted.push(args),
    usageCommitted: async (...args: unknown[]) => void calls.committed.push(args),
  };
  return { calls, state: state as unknown as TenantAiState };
}

const cls = { exit: <T>(fn: () => T) => fn() } as unknown as ClsService;
const config = (flushMs = 0) => ({ AI_USAGE_FLUSH_MS: flushMs }) as AiGatewayConfig;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('UsageRecorder', () => {
  it('answers with the row id at once, counts the call for budgets, and writes the row afterwards', async () => {
    const { db, tx } = fakeDatabase();
    const { calls, state } = fakeState();
    const recorder = new UsageRecorder(config(), tx, state, cls);
    const id = await recorder.record(entry());
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls.accepted).toEqual([[TENANT, expect.stringMatching(/^\d{4}-\d{2}$/), 21, 7]]);
    expect(db.writes).toBe(0);
    await recorder.settled(TENANT);
    expect(db.writes).toBe(1);
    expect(db.rows.get(id)).toEqual(expect.arrayContaining([id, TENANT, 'completion', 'user', 'u1', 'oa', 'gpt-4o-mini', 11, 10, 7, 3, 1, 'success', null, 'req-1']));
    // The row's time is the call's, not the write's (a retried write keeps its month).
    expect(db.rows.get(id)!.at(-1)).toBeInstanceOf(Date);
    // The event names the call's actor and request, not the writer's.
    expect(db.events).toEqual([expect.objectContaining({ type: 'ai.usage_recorded', aggregateId: id, actorId: 'u1', correlationId: 'req-1' })]);
    expect(calls.committed).toEqual([[TENANT, { month: '2026-12', calls: 1, tokens: 21, costMicros: 7 }]]);
  });

  it('writes the rows that ended within the flush window in one transaction', async () => {
    const { db, tx } = fakeDatabase();
    const { calls, state } = fakeState();
    const recorder = new UsageRecorder(config(30), tx, state, cls);
    const ids = [await recorder.record(entry()), await recorder.record(entry()), await recorder.record(entry())];
    await sleep(10);
    expect(db.writes).toBe(0);
    await sleep(60);
    expect(db.batches).toEqual([3]);
    expect([...db.rows.keys()]).toEqual(ids);
    expect(calls.accepted).toHaveLength(3);
    expect(calls.committed).toEqual([[TENANT, { month: '2026-12', calls: 3, tokens: 63, costMicros: 21 }]]);
    // A read of usage does not wait for the window: it writes the tenant's rows at once.
    await recorder.record(entry());
    await recorder.settled(TENANT);
    expect(db.batches).toEqual([3, 1]);
  });

  it('counts a call into the shared month counter before it answers only when the tenant has a budget', async () => {
    const { db, tx } = fakeDatabase();
    const { calls, state } = fakeState();
    const recorder = new UsageRecorder(config(), tx, state, cls);
    await recorder.record({ ...entry(), budgeted: false });
    await recorder.record({ ...entry(), budgeted: true });
    expect(calls.accepted).toHaveLength(1);
    await recorder.settled(TENANT);
    // Either way the committed totals raise the counter.
    expect(db.rows.size).toBe(2);
    expect(calls.committed).toHaveLength(1);
  });

  it('settles per tenant: a read waits for its own tenant’s rows only', async () => {
    const { db, tx } = fakeDatabase();
    let open!: () => void;
    db.gate = new Promise<void>((resolve) => (open = resolve));
    const recorder = new UsageRecorder(config(), tx, fakeState().state, cls);
    await recorder.record(entry(TENANT));
    await recorder.settled(OTHER); // nothing pending for the other tenant: resolves while acme's write is held
    let settled = false;
    const waiting = recorder.settled(TENANT).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    open();
    await waiting;
    expect(db.rows.size).toBe(1);
  });

  it('retries a failed write, and never writes a row twice when the failed attempt had committed', async () => {
    const { db, tx } = fakeDatabase();
    const recorder = new UsageRecorder(config(), tx, fakeState().state, cls);
    db.failures.push('before-commit');
    const first = await recorder.record(entry());
    await recorder.settled(TENANT);
    expect(db.rows.has(first)).toBe(true);
    expect(db.writes).toBe(2);

    db.failures.push('after-commit');
    const second = await recorder.record(entry());
    await recorder.settled(TENANT);
    expect(db.rows.has(second)).toBe(true);
    // One write that committed and lost its reply, then a look-up that found the row: no second write.
    expect(db.writes).toBe(3);
    expect(db.lookups).toBe(2);
    expect(db.events).toHaveLength(2);
  });

  it('drains every pending row before the application shuts down', async () => {
    const { db, tx } = fakeDatabase();
    const recorder = new UsageRecorder(config(10_000), tx, fakeState().state, cls);
    await Promise.all([recorder.record(entry(TENANT)), recorder.record(entry(OTHER)), recorder.record(entry(TENANT))]);
    await recorder.beforeApplicationShutdown();
    expect(db.rows.size).toBe(3);
    // One transaction per tenant.
    expect(db.batches.sort()).toEqual([1, 2]);
  });
});
