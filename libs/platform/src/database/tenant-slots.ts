import { ProblemException } from '../http/problem';

interface Waiter {
  resolve: () => void;
  timer: NodeJS.Timeout | null;
}

interface TenantQueue {
  running: number;
  waiting: Waiter[];
}

export type SlotWaitOutcome = 'waited' | 'refused';

export const tenantBusy = (perTenant: number, waitMs: number) =>
  new ProblemException({
    status: 429,
    type: 'tenant-busy',
    title: 'Too Many Requests',
    detail: `This tenant already has ${perTenant} database operations running on this server and the next did not start within ${waitMs} ms; retry in 1 s.`,
    headers: { 'Retry-After': '1' },
  });

/**
 * A counting semaphore per tenant around database work, so that one tenant's burst cannot take
 * every pool connection while the others wait: at most `perTenant` units run at once per tenant in
 * this process, the next ones queue (first come, first served) for at most `waitMs` and are then
 * refused with a 429 problem. Tenants without work hold no state.
 */
export class TenantSlots {
  private readonly tenants = new Map<string, TenantQueue>();

  constructor(
    readonly perTenant: number,
    readonly waitMs: number,
    private readonly onWait: (outcome: SlotWaitOutcome) => void = () => undefined,
  ) {}

  /** Runs `work` in one of the tenant's slots. */
  async run<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    await this.acquire(tenantId);
    try {
      return await work();
    } finally {
      this.release(tenantId);
    }
  }

  /** Units running now for a tenant, and how many wait. */
  load(tenantId: string): { running: number; waiting: number } {
    const q = this.tenants.get(tenantId);
    return { running: q?.running ?? 0, waiting: q?.waiting.length ?? 0 };
  }

  private acquire(tenantId: string): Promise<void> | void {
    let q = this.tenants.get(tenantId);
    if (!q) this.tenants.set(tenantId, (q = { running: 0, waiting: [] }));
    if (q.running < this.perTenant) {
      q.running++;
      return;
    }
    const queue = q;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, timer: null };
      waiter.timer = setTimeout(() => {
        const i = queue.waiting.indexOf(waiter);
        if (i !== -1) queue.waiting.splice(i, 1);
        this.onWait('refused');
        reject(tenantBusy(this.perTenant, this.waitMs));
      }, this.waitMs);
      queue.waiting.push(waiter);
    });
  }

  /** Hands the slot straight to the next waiter, or frees it. */
  private release(tenantId: string): void {
    const q = this.tenants.get(tenantId);
    if (!q) return;
    const next = q.waiting.shift();
    if (next) {
      if (next.timer) clearTimeout(next.timer);
      this.onWait('waited');
      next.resolve();
      return;
    }
    q.running--;
    if (q.running === 0) this.tenants.delete(tenantId);
  }
}
