import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { UsageRecorder } from '../../gateway/usage-recorder';
import { AiUsageRepository } from '../../repositories/ai-usage.repository';
import { GetAiUsageQuery, type UsageSummary } from './get-usage.query';

/** Usage in [from, to) grouped by UTC day, feature, provider and model. */
@QueryHandler(GetAiUsageQuery)
export class GetAiUsageHandler implements IQueryHandler<GetAiUsageQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly recorder: UsageRecorder,
    private readonly usage: AiUsageRepository,
  ) {}

  async execute({ tenantId, from, to }: GetAiUsageQuery): Promise<UsageSummary> {
    // Calls this process has answered are counted, even if their rows are still being written.
    await this.recorder.settled(tenantId);
    const data = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.usage.groups(tx, from, to));
    const totals = data.reduce((t, g) => ({ calls: t.calls + g.calls, promptTokens: t.promptTokens + g.promptTokens, completionTokens: t.completionTokens + g.completionTokens, costMicroUsd: t.costMicroUsd + g.costMicroUsd }), { calls: 0, promptTokens: 0, completionTokens: 0, costMicroUsd: 0 });
    return { from: from.toISOString(), to: to.toISOString(), totals, data };
  }
}
