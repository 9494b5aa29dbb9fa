import { AiUsageRecorded } from '@switchboard/ai-gateway';
import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { BillingQueue } from '../billing.context';
import { BillingRepository } from '../repositories/billing.repository';

/**
 * Each metered model call joins the tenant's daily AI usage for its model (tokens in and out, and
 * cost as the gateway's price table computed it). Once per event: the receipt commits with the sum.
 */
@OnEvent(AiUsageRecorded, { queue: BillingQueue, job: 'billing.meter-ai-usage' })
export class MeterAiUsageJob implements DurableEventHandler<typeof AiUsageRecorded> {
  constructor(private readonly repository: BillingRepository) {}

  async handle(event: EnvelopeOf<typeof AiUsageRecorded>, tx: TenantTx): Promise<void> {
    const { model, promptTokens, completionTokens, costMicros } = event.payload;
    const tokens = Math.max(0, Math.trunc(promptTokens) + Math.trunc(completionTokens));
    if (tokens === 0 && costMicros <= 0) return;
    await this.repository.addUsage(tx, event.occurredAt.slice(0, 10), 'ai_tokens', model, tokens, Math.max(0, Math.trunc(costMicros)));
  }
}
