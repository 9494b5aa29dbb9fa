import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { UsageRecorder } from '../../gateway/usage-recorder';
import { GetAiUsageQuery, type UsageSummary } from './get-usage.query';

/** Usage in [from, to) grouped by UTC day, feature, provider and model. */
@QueryHandler(GetAiUsageQuery)
export class GetAiUsageHandler implements IQueryHandler<GetAiUsageQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly recorder: UsageRecorder,
  ) {}

  async execute({ tenantId, from, to }: GetAiUsageQuery): Promise<UsageSummary> {
    // Calls this process has answered are counted, even if their rows are still being written.
    await this.recorder.settled(tenantId);
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows: { day: string; feature: string; provider: string; model: string; calls: string; failures: string; prompt: string; completion: string; cost: string }[] = await tx.manager.query(
        `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, feature, provider, model,
                count(*) AS calls, count(*) FILTER (WHERE outcome <> 'success') AS failures,
                SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion, SUM(cost_micros) AS cost
           FROM ai_usage WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
          GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 LIMIT 10000`,
        [tenantId, from, to],
      );
      const data = rows.map((r) => ({ day: r.day, feature: r.feature, provider: r.provider, model: r.model, calls: Number(r.calls), failures: Number(r.failures), promptTokens: Number(r.prompt), completionTokens: Number(r.completion), costMicroUsd: Number(r.cost) }));
      const totals = data.reduce((t, g) => ({ calls: t.calls + g.calls, promptTokens: t.promptTokens + g.promptTokens, completionTokens: t.completionTokens + g.completionTokens, costMicroUsd: t.costMicroUsd + g.costMicroUsd }), { calls: 0, promptTokens: 0, completionTokens: 0, costMicroUsd: 0 });
      return { from: from.toISOString(), to: to.toISOString(), totals, data };
    });
  }
}
