import type { EntityManager } from 'typeorm';

/** Calls, failures, tokens and cost of one UTC day, feature, provider and model. */
export interface UsageGroup {
  day: string;
  feature: string;
  provider: string;
  model: string;
  calls: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  costMicroUsd: number;
}

interface Row {
  day: string;
  feature: string;
  provider: string;
  model: string;
  calls: string;
  failures: string;
  prompt: string;
  completion: string;
  cost: string;
}

/** The tenant's usage in [from, to), grouped (at most 10,000 groups). */
export async function usageGroups(m: EntityManager, tenantId: string, from: Date, to: Date): Promise<UsageGroup[]> {
  const rows: Row[] = await m.query(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, feature, provider, model,
            count(*) AS calls, count(*) FILTER (WHERE outcome <> 'success') AS failures,
            SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion, SUM(cost_micros) AS cost
       FROM ai_usage WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 LIMIT 10000`,
    [tenantId, from, to],
  );
  return rows.map((r) => ({ day: r.day, feature: r.feature, provider: r.provider, model: r.model, calls: Number(r.calls), failures: Number(r.failures), promptTokens: Number(r.prompt), completionTokens: Number(r.completion), costMicroUsd: Number(r.cost) }));
}
