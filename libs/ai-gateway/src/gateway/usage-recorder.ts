import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { TenantTransaction, type CommandContext, type DomainEvent } from '@switchboard/platform';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { ClsService } from 'nestjs-cls';
import type { TokenUsage } from '../chat/chat.port';
import { monthOf } from '../settings/ai-settings';
import type { TemplateRef } from '../templates/template-versions';
import { TenantAiState } from './tenant-ai-state';
import { AiUsageRecorded, aiGatewayConfig, type AiGatewayConfig } from '../ai-gateway.context';

export interface UsageEntry {
  context: CommandContext;
  /** The feature's name. */
  feature: string;
  provider: string;
  model: string;
  usage: TokenUsage;
  costMicros: number;
  latencyMs: number;
  attempts: number;
  outcome: 'success' | 'error' | 'aborted' | 'invalid_output';
  error: string | null;
  template: TemplateRef | null;
  /**
   * The tenant has a budget, so the call counts into the shared month counter before it answers.
   * Without one nobody reads the counter before the rows commit (and raise it to the totals).
   */
  budgeted: boolean;
}

/** Above this many rows waiting, a call waits for its own row (the database is not keeping up). */
const MAX_PENDING = 5000;
/** Rows per tenant transaction. */
const MAX_BATCH = 200;
const WRITE_ATTEMPTS = 8;
const COLUMNS = 18;

interface Pending {
  id: string;
  at: Date;
  entry: UsageEntry;
}

/**
 * Writes the calls' usage rows — with the month's rollup and their `ai.usage_recorded` outbox
 * events — after the calls have answered, in one transaction per tenant for all rows that ended
 * within `AI_USAGE_FLUSH_MS` (group commit; ADR 0014):
 *
 * - Budgets don't wait for the rows: the shared month counter is raised before the call returns
 *   (one Redis command sent without waiting for its reply, ordered before any later command of
 *   this process), and again to the committed totals once the rows are written.
 * - Reads of usage wait for them: `settled(tenantId)` writes the tenant's waiting rows at once and
 *   resolves when every row this process has accepted for the tenant is written; `GET
 *   /v1/ai/usage` awaits it.
 * - A row's id and time are fixed when its call ends, so a retried write is the same rows: before
 *   retrying, a write that may have committed is looked up by id (a batch commits whole or not).
 * - Shutdown drains: the api and worker write waiting rows before closing the database. A process
 *   killed outright loses the rows it had not yet written (at most AI_USAGE_FLUSH_MS of calls);
 *   the month counter already counted them for budgets.
 */
@Injectable()
export class UsageRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('AiGateway');
  /** Rows not yet handed to a write, by tenant. */
  private readonly waiting = new Map<string, Pending[]>();
  /** Writes under way, by tenant. */
  private readonly writing = new Map<string, Set<Promise<void>>>();
  private pendingCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly flushMs: number;
  private readonly policy = retry(handleAll, { maxAttempts: WRITE_ATTEMPTS - 1, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 5_000 }) });

  constructor(
    @Inject(aiGatewayConfig.token) config: AiGatewayConfig,
    private readonly tx: TenantTransaction,
    private readonly state: TenantAiState,
    private readonly cls: ClsService,
  ) {
    this.flushMs = config.AI_USAGE_FLUSH_MS;
  }

  /**
   * Accepts a usage row and returns its id at once; the row is written with the next batch, after
   * the current request has been answered. Waits for the write only when too many rows are waiting.
   */
  async record(entry: UsageEntry): Promise<string> {
    const pending: Pending = { id: randomUUID(), at: new Date(), entry };
    const tenantId = entry.context.tenantId;
    if (entry.budgeted) this.state.usageAccepted(tenantId, monthOf(pending.at), entry.usage.promptTokens + entry.usage.completionTokens, entry.costMicros);
    let rows = this.waiting.get(tenantId);
    if (!rows) this.waiting.set(tenantId, (rows = []));
    rows.push(pending);
    this.pendingCount++;
    if (this.pendingCount > MAX_PENDING) {
      await this.settled(tenantId);
    } else if (rows.length >= MAX_BATCH) {
      this.schedule(0);
    } else {
      this.schedule(this.flushMs);
    }
    return pending.id;
  }

  /** Writes the tenant's waiting rows now; resolves when every row this process accepted for it (so far) is written or given up. */
  async settled(tenantId: string): Promise<void> {
    if (this.waiting.has(tenantId)) this.startWrite(tenantId);
    const writes = this.writing.get(tenantId);
    if (writes) await Promise.all([...writes]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.flush();
    await Promise.all([...this.writing.values()].flatMap((set) => [...set]));
  }

  private schedule(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    // Outside the request's async context: the write is its own transaction, after the answer.
    this.timer = this.cls.exit(() => setTimeout(() => this.flush(), delayMs));
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const tenantId of [...this.waiting.keys()]) this.startWrite(tenantId);
  }

  private startWrite(tenantId: string): void {
    const rows = this.waiting.get(tenantId);
    if (!rows) return;
    this.waiting.delete(tenantId);
    let set = this.writing.get(tenantId);
    if (!set) this.writing.set(tenantId, (set = new Set()));
    const writes = set;
    for (let i = 0; i < rows.length; i += MAX_BATCH) {
      const batch = rows.slice(i, i + MAX_BATCH);
      const written: Promise<void> = this.cls.exit(() => this.write(tenantId, batch)).finally(() => {
        this.pendingCount -= batch.length;
        writes.delete(written);
        if (writes.size === 0 && this.writing.get(tenantId) === writes) this.writing.delete(tenantId);
      });
      writes.add(written);
    }
  }

  private async write(tenantId: string, rows: Pending[]): Promise<void> {
    const ids = rows.map((r) => r.id);
    const context: CommandContext = { tenantId, actorId: null, actorType: 'system', correlationId: null };
    try {
      await this.policy.execute(async ({ attempt }) => {
        // A failed attempt may still have committed (its reply was lost): never write rows twice.
        if (attempt > 0) {
          const [found] = await this.tx.reads(tenantId, [{ sql: `SELECT count(*)::int AS n FROM ai_usage WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, params: [tenantId, ids] }]);
          if ((found![0] as { n: number }).n > 0) return;
        }
        const [totals] = await this.tx.runBatch(context, [insertStatement(tenantId, rows)], rows.map(usageEvent));
        for (const row of totals as { month: string; calls: string; tokens: string; cost_micros: string }[]) {
          await this.state.usageCommitted(tenantId, { month: row.month, calls: Number(row.calls), tokens: Number(row.tokens), costMicros: Number(row.cost_micros) });
        }
      });
    } catch (failure) {
      // Everything needed to restore the rows by hand is in the log line.
      this.logger.error(
        { err: failure instanceof Error ? failure.message : String(failure), tenantId, usage: rows.map(({ id, at, entry: e }) => ({ id, at: at.toISOString(), feature: e.feature, provider: e.provider, model: e.model, ...e.usage, costMicros: e.costMicros, latencyMs: e.latencyMs, attempts: e.attempts, outcome: e.outcome, requestId: e.context.correlationId, actorId: e.context.actorId })) },
        `Could not write ${rows.length} AI usage row(s) after ${WRITE_ATTEMPTS} attempts`,
      );
    }
  }
}

/** The rows, and the month's rollup raised by their sums, in one statement; returns the rollup per month. */
function insertStatement(tenantId: string, rows: Pending[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const values = rows.map(({ id, at, entry: e }) => {
    const o = params.length;
    params.push(id, tenantId, e.feature, e.context.actorType ?? 'system', e.context.actorId, e.provider, e.model, e.usage.promptTokens, e.usage.completionTokens, e.costMicros, e.latencyMs, e.attempts, e.outcome, e.error, e.context.correlationId, e.template?.version ?? null, e.template?.source ?? null, at);
    return `(${Array.from({ length: COLUMNS }, (_, i) => `$${o + i + 1}`).join(', ')})`;
  });
  return {
    sql: `WITH usage AS (
            INSERT INTO ai_usage (id, tenant_id, feature, actor_type, actor_id, provider, model, prompt_tokens, completion_tokens, cost_micros, latency_ms, attempts, outcome, error, request_id, template_version, template_source, created_at)
            VALUES ${values.join(', ')}
            RETURNING tenant_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month, prompt_tokens + completion_tokens AS tokens, cost_micros)
          INSERT INTO ai_usage_months AS m (tenant_id, month, calls, tokens, cost_micros)
          SELECT tenant_id, month, count(*), sum(tokens), sum(cost_micros) FROM usage GROUP BY tenant_id, month
          ON CONFLICT (tenant_id, month) DO UPDATE SET calls = m.calls + EXCLUDED.calls, tokens = m.tokens + EXCLUDED.tokens, cost_micros = m.cost_micros + EXCLUDED.cost_micros
          RETURNING to_char(m.month, 'YYYY-MM') AS month, m.calls, m.tokens, m.cost_micros`,
    params,
  };
}

function usageEvent({ id, entry: e }: Pending): DomainEvent {
  return AiUsageRecorded.of(
    id,
    { feature: e.feature, provider: e.provider, model: e.model, promptTokens: e.usage.promptTokens, completionTokens: e.usage.completionTokens, costMicros: e.costMicros, outcome: e.outcome, latencyMs: e.latencyMs, attempts: e.attempts, template: e.template },
    { actorId: e.context.actorId, correlationId: e.context.correlationId },
  );
}
