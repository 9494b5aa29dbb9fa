import type { EntityManager } from 'typeorm';
import type { CommandContext } from '../database/command-context';
import { TenantTx, type AuditEntry, type TenantTransaction } from '../database/tenant-transaction';
import type { Statement } from '../database/pipelined-transaction';
import type { DomainEvent } from '../registry/events';

/** A manager that refuses SQL: a handler's unit test fakes its repository, so no statement should reach here. */
const noSql = new Proxy({} as EntityManager, {
  get(_target, property) {
    if (property === 'then') return undefined;
    return () => {
      throw new Error(`A unit test reached the database (EntityManager.${String(property)}); fake the repository method instead`);
    };
  },
});

/** A TenantTx whose events and audit entries are recorded instead of written. */
export class RecordingTenantTx extends TenantTx {
  readonly audits: AuditEntry[] = [];
  readonly emitted: DomainEvent[] = [];

  constructor(context: CommandContext) {
    super(noSql, context);
  }

  override async audit(entry: AuditEntry): Promise<void> {
    this.audits.push(entry);
  }

  override async emit(...events: DomainEvent[]): Promise<void> {
    this.emitted.push(...events);
  }
}

/**
 * TenantTransaction for command handlers' unit tests: `run` hands the work a RecordingTenantTx,
 * and a throwing work rolls back what it recorded, as the database would. `committed` lists each
 * committed transaction; `events` and `audits` flatten them.
 */
export class FakeTenantTransaction implements Pick<TenantTransaction, 'run' | 'runPrivileged' | 'current'> {
  readonly committed: RecordingTenantTx[] = [];
  private open: RecordingTenantTx | undefined;

  get events(): DomainEvent[] {
    return this.committed.flatMap((tx) => tx.emitted);
  }

  /** Emitted events as `{ type, aggregateId, payload }`, easy to compare. */
  get emitted(): { type: string; aggregateId: string; payload: object }[] {
    return this.events.map(({ type, aggregateId, payload }) => ({ type, aggregateId, payload }));
  }

  get audits(): AuditEntry[] {
    return this.committed.flatMap((tx) => tx.audits);
  }

  current(): TenantTx | undefined {
    return this.open;
  }

  async run<T>(context: CommandContext, work: (tx: TenantTx) => Promise<T>): Promise<T> {
    if (this.open) return work(this.open);
    const tx = new RecordingTenantTx(context);
    this.open = tx;
    try {
      const result = await work(tx);
      this.committed.push(tx);
      return result;
    } finally {
      this.open = undefined;
    }
  }

  runPrivileged<T>(context: CommandContext, work: (tx: TenantTx) => Promise<T>): Promise<T> {
    return this.run(context, work);
  }

  /** For handlers that batch statements: records the events; the statements' rows come from `rows`. */
  batchRows: Record<string, unknown>[][] = [];
  async runBatch(context: CommandContext, statements: readonly Statement[], events: readonly DomainEvent[] = []): Promise<Record<string, unknown>[][]> {
    const tx = new RecordingTenantTx(context);
    tx.emitted.push(...events);
    this.committed.push(tx);
    return statements.map((_, i) => this.batchRows[i] ?? []);
  }

  /** Pass where a constructor wants a TenantTransaction. */
  asTenantTransaction(): TenantTransaction {
    return this as unknown as TenantTransaction;
  }
}

/** A command context for tests. */
export const testContext = (overrides: Partial<CommandContext> = {}): CommandContext => ({
  tenantId: '11111111-1111-4111-8111-111111111111',
  actorId: '22222222-2222-4222-8222-222222222222',
  actorType: 'user',
  correlationId: 'req-test',
  ...overrides,
});
