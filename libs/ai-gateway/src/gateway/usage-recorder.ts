import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { TenantTransaction, type CommandContext } from '@switchboard/platform';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { ClsService } from 'nestjs-cls';
import type { AiFeature, TokenUsage } from '../chat/chat.port';
import { monthOf } from '../settings/ai-settings';
import type { TemplateRef } from '../templates/template-store';
import { TenantAiState } from './tenant-ai-state';

export interface UsageEntry {
  context: CommandContext;
  feature: AiFeature;
  provider: string;
  model: string;
  usage: TokenUsage;
  costMicros: number;
  latencyMs: number;
  attempts: number;
  outcome: 'success' | 'error' | 'aborted' | 'invalid_output';
  error: string | null;
  template: TemplateRef | null;
}

/** Above this many rows waiting, a call waits for its own row (the database is not keeping up). */
const MAX_PENDING = 1000;
const WRITE_ATTEMPTS = 8;

/**
 * Writes each call's usage row — with the month's rollup and its `ai.usage_recorded` outbox
 * event, in one transaction — right after the call has answered, instead of before (ADR 0011,
 * "metering after the answer"). What the answer must not wait for:
 *
 * - Budgets don't wait for the row: the shared month counter is raised before the call returns
 *   (one Redis command sent without waiting for its reply, ordered before any later command of
 *   this process), and again to the committed totals once the row is written.
 * - Reads of usage wait for it: `settled(tenantId)` resolves when every row this process has
 *   accepted for the tenant is written, and `GET /v1/ai/usage` awaits it.
 * - The row's id, time and month are fixed when the call ends, so a retried write is the same
 *   row: before retrying, a write that may have committed is looked up by id.
 * - Shutdown drains: the api and worker wait for pending rows before closing the database.
 *   A process killed outright loses the rows it had not yet written (milliseconds' worth); the
 *   month counter already counted them for budgets.
 */
@Injectable()
export class UsageRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('AiGateway');
  private readonly pending = new Map<string, Set<Promise<void>>>();
  private pendingCount = 0;
  private readonly policy = retry(handleAll, { maxAttempts: WRITE_ATTEMPTS - 1, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 5_000 }) });

  constructor(
    private readonly tx: TenantTransaction,
    private readonly state: TenantAiState,
    private readonly cls: ClsService,
  ) {}

  /**
   * Accepts a usage row and returns its id at once; the row is written once the current request
   * has been answered. Resolves only after the write when too many rows are already waiting.
   */
  async record(entry: UsageEntry): Promise<string> {
    const id = randomUUID();
    const at = new Date();
    const tokens = entry.usage.promptTokens + entry.usage.completionTokens;
    this.state.usageAccepted(entry.context.tenantId, monthOf(at), tokens, entry.costMicros);
    const tenantId = entry.context.tenantId;
    let set = this.pending.get(tenantId);
    if (!set) this.pending.set(tenantId, (set = new Set()));
    const tenantSet = set;
    this.pendingCount++;
    // Outside the request's async context: the write is its own transaction, after the answer.
    const written: Promise<void> = new Promise<void>((resolve) => this.cls.exit(() => setImmediate(() => void this.write(id, at, entry).finally(resolve))));
    tenantSet.add(written);
    void written.then(() => {
      this.pendingCount--;
      tenantSet.delete(written);
      if (tenantSet.size === 0 && this.pending.get(tenantId) === tenantSet) this.pending.delete(tenantId);
    });
    if (this.pendingCount > MAX_PENDING) await written;
    return id;
  }

  /** Resolves when every usage row this process accepted for the tenant (so far) is written or given up. */
  async settled(tenantId: string): Promise<void> {
    const set = this.pending.get(tenantId);
    if (set) await Promise.all([...set]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pending.values()].flatMap((set) => [...set]));
  }

  private async write(id: string, at: Date, entry: UsageEntry): Promise<void> {
    const { context, feature, provider, model, usage, costMicros, latencyMs, attempts, outcome, error, template } = entry;
    try {
      await this.policy.execute(async ({ attempt }) => {
        // A failed attempt may still have committed (the reply was lost): never write a row twice.
        if (attempt > 0) {
          const [found] = await this.tx.reads(context.tenantId, [{ sql: `SELECT 1 FROM ai_usage WHERE tenant_id = $1 AND id = $2`, params: [context.tenantId, id] }]);
          if (found!.length > 0) return;
        }
        const [totals] = await this.tx.runBatch(
          context,
          [
            {
              sql: `WITH usage AS (
                      INSERT INTO ai_usage (id, tenant_id, feature, actor_type, actor_id, provider, model, prompt_tokens, completion_tokens, cost_micros, latency_ms, attempts, outcome, error, request_id, template_version, template_source, created_at)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                      RETURNING tenant_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month, prompt_tokens + completion_tokens AS tokens, cost_micros)
                    INSERT INTO ai_usage_months AS m (tenant_id, month, calls, tokens, cost_micros)
                    SELECT tenant_id, month, 1, tokens, cost_micros FROM usage
                    ON CONFLICT (tenant_id, month) DO UPDATE SET calls = m.calls + 1, tokens = m.tokens + EXCLUDED.tokens, cost_micros = m.cost_micros + EXCLUDED.cost_micros
                    RETURNING to_char(m.month, 'YYYY-MM') AS month, m.calls, m.tokens, m.cost_micros`,
              params: [id, context.tenantId, feature, context.actorType ?? 'system', context.actorId, provider, model, usage.promptTokens, usage.completionTokens, costMicros, latencyMs, attempts, outcome, error, context.correlationId, template?.version ?? null, template?.source ?? null, at],
            },
          ],
          [
            {
              type: 'ai.usage_recorded',
              aggregateType: 'ai_usage',
              aggregateId: id,
              payload: { feature, provider, model, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, costMicros, outcome, latencyMs, attempts, template },
            },
          ],
        );
        const row = totals![0] as { month: string; calls: string; tokens: string; cost_micros: string };
        await this.state.usageCommitted(context.tenantId, { month: row.month, calls: Number(row.calls), tokens: Number(row.tokens), costMicros: Number(row.cost_micros) });
      });
    } catch (failure) {
      // Everything needed to restore the row by hand is in the log line.
      this.logger.error(
        { err: failure instanceof Error ? failure.message : String(failure), usage: { id, at: at.toISOString(), tenantId: context.tenantId, feature, provider, model, ...usage, costMicros, latencyMs, attempts, outcome, requestId: context.correlationId } },
        `Could not write an AI usage row after ${WRITE_ATTEMPTS} attempts`,
      );
    }
  }
}
