import { ProblemException } from '../http/problem';
import { TenantSlots, type SlotWaitOutcome } from './tenant-slots';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('TenantSlots', () => {
  it('runs at most perTenant units of one tenant at once; the next waits for a slot, others tenants do not', async () => {
    const outcomes: SlotWaitOutcome[] = [];
    const slots = new TenantSlots(2, 5_000, (o) => outcomes.push(o));
    const gates = [deferred(), deferred()];
    const started: string[] = [];
    const a1 = slots.run('a', async () => (started.push('a1'), gates[0]!.promise));
    const a2 = slots.run('a', async () => (started.push('a2'), gates[1]!.promise));
    const a3 = slots.run('a', async () => void started.push('a3'));
    const b1 = slots.run('b', async () => void started.push('b1'));
    await b1;
    expect(started).toEqual(['a1', 'a2', 'b1']);
    expect(slots.load('a')).toEqual({ running: 2, waiting: 1 });
    gates[0]!.resolve();
    await a1;
    await a3;
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    gates[1]!.resolve();
    await a2;
    expect(slots.load('a')).toEqual({ running: 0, waiting: 0 });
    expect(outcomes).toEqual(['waited']);
  });

  it('refuses work that waited longer than waitMs with a 429 tenant-busy problem, and frees the slot of failed work', async () => {
    const outcomes: SlotWaitOutcome[] = [];
    const slots = new TenantSlots(1, 20, (o) => outcomes.push(o));
    const gate = deferred();
    const running = slots.run('a', () => gate.promise);
    const refused = await slots.run('a', async () => 'ran').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).problem).toMatchObject({ status: 429, type: 'tenant-busy', headers: { 'Retry-After': '1' } });
    expect(outcomes).toEqual(['refused']);
    gate.resolve();
    await running;
    await expect(slots.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run('a', async () => 'ran')).resolves.toBe('ran');
    expect(slots.load('a')).toEqual({ running: 0, waiting: 0 });
  });
});
