import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { EventBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { ClsService } from 'nestjs-cls';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '../outbox/event-envelope';
import type { DomainEvent } from '../registry/events';
import { EventCommitted } from '../outbox/event-committed';
import { insertOutboxRows, outboxInsert } from '../outbox/outbox.sql';
import { currentTraceCarrier } from '../observability/trace-context';
import { diffSnapshots, type Snapshot } from '../audit/audit-diff';
import { APP_DB_ROLE } from './data-source-options';
import { insideTransaction } from './transaction-scope';
import { runPipelinedTransaction, runStatementBatch, type Statement } from './pipelined-transaction';
import type { CommandContext } from './command-context';
import { Metrics } from '../observability/metrics';
import { TenantSlots } from './tenant-slots';
import { isRetryableConflict } from './database-errors';
import { claimStatements, IdempotencyKeyTaken, isIdempotencyKeyTaken, PENDING_IDEMPOTENCY, type PendingIdempotency } from './idempotency-keys';

const TX_KEY = 'switchboard.tx';

/**
 * Runs of one transaction at most, when Postgres rolls it back for a deadlock or a serialization
 * failure (docs/adr/0024-transactions-retried-on-conflict.md); then the client gets 409.
 */
export const TRANSACTION_ATTEMPTS = 4;

/** Before run n (2, 3, …): a random pause of up to 20, 40, 80 ms, so the colliding transactions drift apart. */
const retryPauseMs = (attempt: number) => randomInt(1, 20 * 2 ** (attempt - 2) + 1);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: Snapshot;
  after?: Snapshot;
}

function assertTenantId(tenantId: string): void {
  if (!UUID.test(tenantId)) throw new Error(`Tenant transaction needs a tenant id, got "${tenantId}"`);
}

/**
 * Pins the tenant and drops to the application role (setting `role` locally is SET LOCAL ROLE),
 * plus any other transaction-local settings, in one statement.
 */
function tenantPin(tenantId: string, limits: string, settings: Readonly<Record<string, string>> = {}): Statement {
  const params: unknown[] = [tenantId, APP_DB_ROLE];
  const extra = Object.entries(settings).map(([name, value]) => `, set_config($${params.push(name)}, $${params.push(value)}, true)`);
  return { sql: `SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)${limits}${extra.join('')}`, params };
}

/**
 * Transaction-local limits, so one stuck or runaway process cannot hold the database: each
 * statement at most DATABASE_STATEMENT_TIMEOUT_MS, idle inside the transaction at most
 * DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS. PGlite neither enforces statement_timeout nor survives
 * the idle timeout being set (its next query never answers), so there the embedded server's own
 * session queue enforces the idle limit instead (SessionQueue). Literal SQL: the values are
 * validated integers.
 */
function sessionLimits(statementMs: number, idleMs: number, embedded: boolean): string {
  const limits: string[] = [];
  if (statementMs > 0) limits.push(`, set_config('statement_timeout', '${Math.trunc(statementMs)}', true)`);
  if (idleMs > 0 && !embedded) limits.push(`, set_config('idle_in_transaction_session_timeout', '${Math.trunc(idleMs)}', true)`);
  return limits.join('');
}

/** The unit of tenant work handed to a use case. */
export class TenantTx {
  readonly events: EventEnvelope[] = [];

  constructor(
    readonly manager: EntityManager,
    readonly context: CommandContext,
  ) {}

  get tenantId(): string {
    return this.context.tenantId;
  }

  /** Records who changed what, in this transaction: the entry exists exactly when the change does. */
  async audit(entry: AuditEntry): Promise<void> {
    const c = this.context;
    await this.manager.query(
      `INSERT INTO audit_logs (tenant_id, actor_type, actor_id, impersonator_id, action, entity_type, entity_id, changes, request_id, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)`,
      [
        c.tenantId,
        c.actorType ?? 'system',
        c.actorId,
        c.impersonatorId ?? null,
        entry.action,
        entry.entityType,
        entry.entityId,
        JSON.stringify(diffSnapshots(entry.before, entry.after)),
        c.correlationId,
        c.ip ?? null,
        c.userAgent ?? null,
      ],
    );
  }

  /** Appends domain events to the outbox inside this transaction; they leave only if it commits. */
  async emit(...events: DomainEvent[]): Promise<void> {
    const envelopes = toEnvelopes(this.context, events);
    await insertOutboxRows(this.manager, envelopes);
    this.events.push(...envelopes);
  }
}

/**
 * The same pin without parameters, so it travels as a simple query: one protocol message where
 * a parameterised statement is five, which the embedded database pays for one by one (about
 * 0.35–0.9 ms per transaction there). Safe to inline: the tenant id has passed the UUID check and
 * the role is a constant. Used for batches only; `run` keeps the form the benchmarks' raw
 * baselines use.
 */
function literalTenantPin(context: CommandContext, limits: string): Statement {
  assertTenantId(context.tenantId);
  return { sql: `SELECT set_config('app.tenant_id', '${context.tenantId}', true), set_config('role', '${APP_DB_ROLE}', true)${limits}` };
}

function toEnvelopes(context: CommandContext, events: readonly DomainEvent[]): EventEnvelope[] {
  // The trace that committed the events continues through the relay and the queues (ADR 0053).
  const traceContext = currentTraceCarrier();
  return events.map(
    (event): EventEnvelope => ({
      id: randomUUID(),
      tenantId: context.tenantId,
      type: event.type,
      eventVersion: event.version,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      payload: event.payload as Record<string, unknown>,
      occurredAt: new Date().toISOString(),
      actorId: event.actorId !== undefined ? event.actorId : context.actorId,
      correlationId: event.correlationId !== undefined ? event.correlationId : context.correlationId,
      ...(traceContext ? { traceContext } : {}),
    }),
  );
}

/**
 * Runs tenant work in one transaction that first pins the tenant (`app.tenant_id`) and drops to
 * the non-owner role, so row-level security applies on the embedded database and real Postgres
 * alike. Only `SET LOCAL` / `set_config(…, true)`: the embedded database shares one session
 * between all clients, so session-level settings would leak.
 */
@Injectable()
export class TenantTransaction implements OnModuleInit {
  private readonly logger = new Logger('TenantTransaction');
  private limits = '';
  /**
   * At most DATABASE_TENANT_CONCURRENCY units of work per tenant at once, so no tenant holds the
   * whole pool; none when that is the pool's size or more (the pool is the only limit then).
   */
  private readonly slots: TenantSlots | null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cls: ClsService,
    private readonly eventBus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.slots =
      config.DATABASE_TENANT_CONCURRENCY < config.DATABASE_POOL_SIZE
        ? new TenantSlots(config.DATABASE_TENANT_CONCURRENCY, config.DATABASE_TENANT_WAIT_MS, (outcome) => this.metrics?.tenantWorkWaits.inc({ outcome }))
        : null;
  }

  /** Counted, and in one of the tenant's slots. */
  private inSlot<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    this.metrics?.tenantWork.inc();
    return this.slots ? this.slots.run(tenantId, work) : work();
  }

  async onModuleInit(): Promise<void> {
    const [{ version }]: { version: string }[] = await this.dataSource.query('SELECT version()');
    this.limits = sessionLimits(this.config.DATABASE_STATEMENT_TIMEOUT_MS, this.config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, version.includes('PGlite'));
  }

  /** The transaction in progress on this async path, if any. */
  current(): TenantTx | undefined {
    return this.cls.isActive() ? this.cls.get<TenantTx | undefined>(TX_KEY) : undefined;
  }

  async run<T>(context: CommandContext, work: (tx: TenantTx) => Promise<T>): Promise<T> {
    assertTenantId(context.tenantId);
    const outer = this.current();
    if (outer) {
      if (outer.tenantId !== context.tenantId) throw new Error('A tenant transaction cannot nest another tenant');
      return work(outer);
    }
    return this.retryOnConflict('tenant transaction', () => this.runOnce(context, work));
  }

  private async runOnce<T>(context: CommandContext, work: (tx: TenantTx) => Promise<T>): Promise<T> {
    let tx!: TenantTx;
    const pending = this.claimIdempotencyKey(context.tenantId);
    // Pinned (and the request's Idempotency-Key claimed) in the same pipeline as the work's first statement.
    const opening = [tenantPin(context.tenantId, this.limits), ...(pending ? claimStatements(pending, context.tenantId) : [])];
    // The slot inside the claim's settlement: a refused slot gives the claim back like a failed transaction.
    const result = await this.settleIdempotencyClaim(pending, context.tenantId, () =>
      this.inSlot(context.tenantId, () =>
        this.cls.run({ ifNested: 'inherit' }, () =>
          runPipelinedTransaction(this.dataSource, opening, async (manager) => {
            tx = new TenantTx(manager, context);
            this.cls.set(TX_KEY, tx);
            try {
              return await work(tx);
            } finally {
              this.cls.set(TX_KEY, undefined);
            }
          }),
        ),
      ),
    );
    // After commit only: in-process reactions may be lost, so nothing durable depends on them.
    if (tx.events.length > 0) this.eventBus.publishAll(tx.events.map((e) => new EventCommitted(e)));
    return result;
  }

  /**
   * Read-only statements of one tenant, with RLS as in `run`, sent in one go with BEGIN, the pin and
   * COMMIT (see `runStatementBatch`): on the embedded database the session is held only while they
   * execute. `settings` are transaction-local settings (`set_config(name, value, true)`) applied in
   * the pin's statement. Returns the rows of each statement. Inside a `run` of the same tenant the
   * statements join that transaction (the settings then stay for the rest of it).
   */
  async reads(tenantId: string, statements: readonly Statement[], settings: Readonly<Record<string, string>> = {}): Promise<unknown[][]> {
    assertTenantId(tenantId);
    const pin = tenantPin(tenantId, this.limits, settings);
    const outer = this.current();
    if (!outer) return (await this.inSlot(tenantId, () => runStatementBatch(this.dataSource, [pin, ...statements]))).slice(1);
    if (outer.tenantId !== tenantId) throw new Error('A tenant transaction cannot nest another tenant');
    await outer.manager.query(pin.sql, pin.params);
    const rows: unknown[][] = [];
    for (const s of statements) rows.push(await outer.manager.query(s.sql, s.params));
    return rows;
  }

  /**
   * Tenant work whose statements are all known up front (appends, upserts, independent reads):
   * BEGIN, the tenant pin, the statements, the outbox rows of `events` and COMMIT leave in one
   * write and are answered in one round trip (see `runStatementBatch`). Returns each statement's
   * rows. Inside a tenant transaction already open on this path, it runs in that one instead.
   */
  async runBatch(context: CommandContext, statements: readonly Statement[], events: readonly DomainEvent[] = []): Promise<Record<string, unknown>[][]> {
    assertTenantId(context.tenantId);
    const outer = this.current();
    if (outer) {
      if (outer.tenantId !== context.tenantId) throw new Error('A tenant transaction cannot nest another tenant');
      const rows = await Promise.all(statements.map((s) => outer.manager.query(s.sql, s.params as unknown[] | undefined) as Promise<Record<string, unknown>[]>));
      if (events.length > 0) await outer.emit(...events);
      return rows;
    }
    const envelopes = toEnvelopes(context, events);
    return this.retryOnConflict('tenant batch', async () => {
      const pending = this.claimIdempotencyKey(context.tenantId);
      const claim = pending ? claimStatements(pending, context.tenantId) : [];
      const results = await this.settleIdempotencyClaim(pending, context.tenantId, () =>
        this.inSlot(context.tenantId, () =>
          runStatementBatch(this.dataSource, [literalTenantPin(context, this.limits), ...claim, ...statements, ...(envelopes.length > 0 ? [outboxInsert(envelopes)] : [])]),
        ),
      );
      if (envelopes.length > 0) this.eventBus.publishAll(envelopes.map((e) => new EventCommitted(e)));
      return results.slice(1 + claim.length, 1 + claim.length + statements.length);
    });
  }

  /**
   * Runs a whole transaction again when Postgres rolled it back for a deadlock or a serialization
   * failure: nothing of it took effect, and by design nothing but the database saw it (conventions,
   * rule 16), so the work may run from the start. Only the outermost transaction retries; a nested
   * `run` joins it and fails with it.
   */
  private async retryOnConflict<T>(label: string, attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (n >= TRANSACTION_ATTEMPTS || !isRetryableConflict(error)) throw error;
        const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
        this.logger.debug(`${label} rolled back by the database (${code}); running it again (attempt ${n + 1} of ${TRANSACTION_ATTEMPTS})`);
        await sleep(retryPauseMs(n + 1));
      }
    }
  }

  /**
   * The request's Idempotency-Key, when this is the first tenant write transaction to record it
   * (ADR 0020): marked as claimed at once, so a second transaction started concurrently by the
   * same request does not claim it too.
   */
  private claimIdempotencyKey(tenantId: string): PendingIdempotency | undefined {
    const pending = this.cls.isActive() ? this.cls.get<PendingIdempotency | undefined>(PENDING_IDEMPOTENCY) : undefined;
    if (!pending || pending.done || pending.claimedIn !== null) return undefined;
    pending.claimedIn = tenantId;
    return pending;
  }

  /** Commits the claim with the transaction, gives it back if the transaction fails, and names a conflict. */
  private async settleIdempotencyClaim<T>(pending: PendingIdempotency | undefined, tenantId: string, transaction: () => Promise<T>): Promise<T> {
    if (!pending) return transaction();
    try {
      const result = await transaction();
      pending.committed = true;
      return result;
    } catch (error) {
      pending.claimedIn = null;
      if (isIdempotencyKeyTaken(error)) {
        pending.done = true;
        throw new IdempotencyKeyTaken(tenantId);
      }
      throw error;
    }
  }

  /**
   * Platform-operator work that creates or spans tenants (creating a tenant and its owner,
   * credential look-ups), as the owning role: RLS does not apply, so every query must filter by
   * tenant itself. Events and audit entries still commit with the change.
   */
  async runPrivileged<T>(context: CommandContext, work: (tx: TenantTx) => Promise<T>): Promise<T> {
    let tx!: TenantTx;
    const result = await this.retryOnConflict('privileged transaction', () =>
      this.dataSource.transaction((manager) =>
        insideTransaction('privileged transaction', async () => {
          if (this.limits) await manager.query(`SELECT true${this.limits}`);
          tx = new TenantTx(manager, context);
          return work(tx);
        }),
      ),
    );
    if (tx.events.length > 0) this.eventBus.publishAll(tx.events.map((e) => new EventCommitted(e)));
    return result;
  }

  /** Platform work across tenants (relay, sweeper, purge) as the owning role; RLS does not apply. */
  async runAsSystem<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) =>
      insideTransaction('system transaction', async () => {
        if (this.limits) await manager.query(`SELECT true${this.limits}`);
        return work(manager);
      }),
    );
  }
}
