import { defineOperatorStats } from '@switchboard/platform';

/**
 * AI spend this month, from the month-to-date rollup (`ai_usage_months`, kept in the transaction
 * of every metered call): the month's rows through the (month, cost) index, never the ledger.
 */
export const AiSpendStats = defineOperatorStats({
  name: 'aiSpend',
  description: 'AI calls, tokens and cost (micro-units of the price table’s currency) this UTC month, in all and for the tenants spending most',
  collect: async (db, window) => {
    const month = `${window.to.toISOString().slice(0, 7)}-01`;
    const [total] = await db.query<{ tenants: string; calls: string | null; tokens: string | null; cost: string | null }>(
      `SELECT count(*) AS tenants, sum(calls) AS calls, sum(tokens) AS tokens, sum(cost_micros) AS cost FROM ai_usage_months WHERE month = $1::date`,
      [month],
    );
    const top = await db.query<{ tenant_id: string; calls: string; tokens: string; cost_micros: string }>(
      `SELECT tenant_id, calls, tokens, cost_micros FROM ai_usage_months WHERE month = $1::date ORDER BY cost_micros DESC, tenant_id LIMIT $2`,
      [month, window.top],
    );
    return {
      month,
      calls: Number(total?.calls ?? 0),
      tokens: Number(total?.tokens ?? 0),
      costMicros: Number(total?.cost ?? 0),
      tenants: Number(total?.tenants ?? 0),
      byTenant: top.map((r) => ({ tenantId: r.tenant_id, calls: Number(r.calls), tokens: Number(r.tokens), costMicros: Number(r.cost_micros) })),
    };
  },
});
